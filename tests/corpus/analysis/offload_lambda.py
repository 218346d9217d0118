# feature: offload-lambda
"""Offloaded lambdas: their bodies run in the worker thread."""

import asyncio
import json
from pathlib import Path

STATE = Path("/var/lib/agent/state.json")


async def save_state(state: dict) -> None:
    await asyncio.to_thread(lambda: STATE.write_text(json.dumps(state)))  # ok: lambda offloaded


async def load_state() -> dict:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: json.loads(STATE.read_text()))  # ok: lambda offloaded


async def state_size() -> int:
    return await asyncio.to_thread(lambda: STATE.stat().st_size if STATE.exists() else 0)  # ok: lambda offloaded


async def save_state_inline(state: dict) -> None:
    STATE.write_text(json.dumps(state))  # expect: BIO103


async def save_state_soon(state: dict) -> None:
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: STATE.write_text(json.dumps(state)))  # expect: BIO103
