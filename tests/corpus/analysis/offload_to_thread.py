# feature: offload-to_thread
"""asyncio.to_thread: the offloaded callable runs in a worker thread."""

import asyncio
import json
import shutil
from pathlib import Path

REPORTS = Path("/srv/reports")


def write_report(name: str, data: dict) -> Path:
    path = REPORTS / f"{name}.json"
    path.write_text(json.dumps(data))  # ok: only runs in a worker thread
    return path


def load_report(name: str) -> dict:
    return json.loads((REPORTS / f"{name}.json").read_text())  # ok: offloaded in one place, called directly in another


async def save(name: str, data: dict) -> Path:
    return await asyncio.to_thread(write_report, name, data)  # ok: offloaded by reference


async def load_offloaded(name: str) -> dict:
    return await asyncio.to_thread(load_report, name)  # ok: offloaded by reference


async def load_inline(name: str) -> dict:
    return load_report(name)  # expect: BIO102


async def purge(name: str) -> None:
    await asyncio.to_thread(shutil.rmtree, REPORTS / name)  # ok: offloaded by reference


async def exists(name: str) -> bool:
    return await asyncio.to_thread((REPORTS / name).exists)  # ok: bound method offloaded


async def archive_all() -> None:
    await asyncio.gather(*(asyncio.to_thread(write_report, n, {}) for n in ("a", "b")))  # ok: offloaded by reference
