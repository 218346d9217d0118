# feature: once
"""Lazy initialisation: it blocks on its first call only, so it is one finding (impact
"once") at the first loop-side place, with the other places listed, not one per handler."""

import functools
import json
from pathlib import Path

_CONFIG: dict | None = None


def get_config() -> dict:
    global _CONFIG
    if _CONFIG is None:
        _CONFIG = json.loads(Path("/etc/app.json").read_text())  # ok: reported at the async call site
    return _CONFIG


@functools.cache
def templates() -> dict:
    return json.loads(Path("/etc/templates.json").read_text())  # ok: reported at the async call site


def read_every_time() -> str:
    return Path("/etc/motd").read_text()  # ok: reported at the async call site


async def first_handler() -> dict:
    return get_config()  # expect: BIO102


async def second_handler() -> dict:
    return get_config()  # ok: the same initialisation, listed under the first place


async def third_handler() -> dict:
    return {**get_config(), **templates()}  # expect: BIO102


async def fourth_handler() -> dict:
    return templates()  # ok: the same cached function, listed under its first place


async def every_time_a() -> str:
    return read_every_time()  # expect: BIO102


async def every_time_b() -> str:
    return read_every_time()  # expect: BIO102
