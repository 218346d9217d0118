# feature: arg-guard
"""Blocking branches guarded by a parameter: `cfg or load()`, `if store is None`, a flag.

A call site discharges the guard with what it passes; an argument the analysis cannot judge
keeps the finding (sound)."""

import json
from pathlib import Path


def load_config(path: str = "/etc/app.json") -> dict:
    return json.loads(Path(path).read_text())  # ok: reported at the async call site


def settings(cfg: dict | None = None) -> dict:
    cfg = cfg or load_config()  # ok: reported at the async call site
    return cfg


class Store:
    pass


def open_store(store: object | None = None) -> object:
    if store is None:
        store = Path("/var/lib/app/store.json").read_text()  # ok: reported at the async call site
    return store


def render(page: str, outputs_path: str | None = None) -> str:
    if outputs_path is not None:
        Path(outputs_path).write_text(page)  # ok: reported at the async call site
    return page


def forward(cfg: dict | None = None) -> dict:
    return settings(cfg)  # ok: the guard is forwarded to forward's callers


async def handler_with_config(cfg: dict) -> dict:  # a framework passes cfg: it may be empty
    return settings(cfg)  # expect: BIO102


async def handler_with_literal_dict() -> dict:
    return settings({"debug": True})  # ok: a non-empty dict literal is truthy


async def handler_without_config() -> dict:
    return settings()  # expect: BIO102


async def handler_passing_none() -> dict:
    return settings(None)  # expect: BIO102


async def handler_with_store() -> object:
    return open_store(Store())  # ok: a constructed object is never None


async def handler_default_store() -> object:
    return open_store()  # expect: BIO102


async def render_to_memory(page: str) -> str:
    return render(page)  # ok: outputs_path defaults to None, nothing is written


async def render_to_disk(page: str) -> str:
    return render(page, "/tmp/page.html")  # expect: BIO103


async def forwarded_with_config() -> dict:
    return forward({"debug": True})  # ok: forwarded to settings, and truthy there


async def forwarded_without(unknown) -> dict:
    return forward(unknown)  # expect: BIO102
