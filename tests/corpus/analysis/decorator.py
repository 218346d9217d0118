# feature: decorator
"""Decorators that keep the function (wraps, lru_cache, staticmethod, classmethod) and one
that runs it in a thread."""

import asyncio
import functools
import json
import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)
MODELS = Path("/opt/agent/models")


def timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)  # ok: reported at the async call sites
        finally:
            log.debug("%s took %.3fs", fn.__name__, time.perf_counter() - start)  # ok: logging is not a rule target

    return wrapper


def in_thread(fn):
    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        return await asyncio.to_thread(fn, *args, **kwargs)  # ok: offloads the decorated function

    return wrapper


@functools.lru_cache(maxsize=32)
def model_card(name: str) -> dict:
    return json.loads((MODELS / name / "card.json").read_text())  # ok: reported at the async call site


@timed
def model_size(name: str) -> int:
    return (MODELS / name / "weights.bin").stat().st_size  # ok: reported at the async call site


@in_thread
def model_readme(name: str) -> str:
    return (MODELS / name / "README.md").read_text()  # ok: runs in a worker thread


class ModelRegistry:
    @staticmethod
    def card_path(name: str) -> Path:
        return MODELS / name / "card.json"  # ok: pure

    @staticmethod
    def read_card(name: str) -> str:
        return (MODELS / name / "card.json").read_text()  # ok: reported at the async call site

    @classmethod
    def exists(cls, name: str) -> bool:
        return cls.card_path(name).exists()  # ok: reported at the async call site

    async def describe(self, name: str) -> dict:
        if not self.exists(name):  # expect: BIO106
            return {}
        return {"card": self.read_card(name)}  # expect: BIO102


async def card(name: str) -> dict:
    return model_card(name)  # expect: BIO102


async def size(name: str) -> int:
    return model_size(name)  # expect: BIO106


async def readme(name: str) -> str:
    return await model_readme(name)  # ok: the decorator runs it with asyncio.to_thread


async def card_location(name: str) -> str:
    return str(ModelRegistry.card_path(name))  # ok: pure static method
