# feature: offload-nested-def
"""Nested defs handed to a thread: their bodies are not loop code."""

import asyncio
import json
import sqlite3
from pathlib import Path

DB_PATH = "/var/lib/agent/memory.db"


async def remember(key: str, value: dict) -> None:
    def _write() -> None:
        with sqlite3.connect(DB_PATH) as conn:  # ok: the nested def runs in a thread
            conn.execute("INSERT INTO memory VALUES (?, ?)", (key, json.dumps(value)))  # ok: runs in a thread

    await asyncio.to_thread(_write)  # ok: nested def offloaded


async def export(path: Path, rows: list) -> None:
    def _dump() -> None:
        path.write_text(json.dumps(rows))  # ok: the nested def runs in a thread

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, _dump)  # ok: nested def offloaded


async def export_now(path: Path, rows: list) -> None:
    def _dump() -> None:
        path.write_text(json.dumps(rows))  # ok: reported at the call below

    _dump()  # expect: BIO103
