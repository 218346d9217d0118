# feature: unresolved
"""Calls that cannot be resolved are never reported (no guessing by name)."""

import importlib
from pathlib import Path

from fastapi import Request

HANDLERS: dict = {}


async def dispatch(name: str, payload: dict):
    handler = HANDLERS[name]
    return handler(payload)  # ok: unresolved callable


async def plugin_call(module: str, func: str):
    mod = importlib.import_module(module)  # expect: BIO118
    return getattr(mod, func)()  # ok: unresolved callable


async def through_request(request: Request):
    return request.app.state.storage.read_text("k")  # ok: unresolved receiver


async def through_param(storage, key: str):
    storage.write_text(key)  # ok: unknown receiver
    return storage.exists(key)  # ok: unknown receiver


async def tool(agent, prompt: str):
    return agent.tools["shell"].run(prompt)  # ok: unresolved callable


async def resolved(name: str) -> str:
    return Path(name).read_text()  # expect: BIO102


class Spool:
    def __init__(self, fp, path: str):
        self._fp = fp
        self._log = open(path, "a")

    async def flush(self):
        buffer = self._fp
        buffer.read()  # ok: an alias of an attribute nothing types (a parameter's value)
        log = self._log
        log.write("flushed")  # expect: BIO105
