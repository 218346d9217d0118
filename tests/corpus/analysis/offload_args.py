# feature: offload-args
"""Arguments of an offload call are evaluated on the loop before the hand-off."""

import asyncio
import json
from pathlib import Path

import anyio.to_thread

DOCS = Path("/srv/docs")


def index_document(text: str) -> int:
    return len(text.split())  # ok: pure helper


def parse(raw: str) -> dict:
    return json.loads(raw)  # ok: pure helper


async def index(name: str) -> int:
    return await asyncio.to_thread(index_document, (DOCS / name).read_text())  # expect: BIO102


async def index_right(name: str) -> int:
    text = await asyncio.to_thread((DOCS / name).read_text)  # ok: the read itself is offloaded
    return await asyncio.to_thread(index_document, text)  # ok: pure helper offloaded


async def parse_settings() -> dict:
    return await anyio.to_thread.run_sync(parse, open("/etc/agent/settings.json").read())  # expect: BIO101


async def parse_settings_right() -> dict:
    raw = await anyio.to_thread.run_sync(Path("/etc/agent/settings.json").read_text)  # ok: offloaded by reference
    return parse(raw)  # ok: pure helper
