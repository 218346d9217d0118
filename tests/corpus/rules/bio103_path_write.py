# feature: path-write
"""Agent run artifacts written with pathlib from async code."""

import asyncio
import json
from pathlib import Path

RUNS_DIR = Path("/var/lib/agent/runs")


async def save_transcript(run_id: str, messages: list[dict]) -> None:
    path = RUNS_DIR / run_id / "transcript.json"
    path.write_text(json.dumps(messages, indent=2))  # expect: BIO103


async def save_screenshot(run_id: str, png: bytes) -> Path:
    target = RUNS_DIR / run_id / "screen.png"
    target.write_bytes(png)  # expect: BIO103
    return target


async def save_screenshot_offloaded(run_id: str, png: bytes) -> None:
    target = RUNS_DIR / run_id / "screen.png"
    await asyncio.to_thread(target.write_bytes, png)  # ok: offloaded by reference


async def describe(run_id: str) -> str:
    target = RUNS_DIR / run_id
    return target.with_suffix(".json").name  # ok: pure path arithmetic
