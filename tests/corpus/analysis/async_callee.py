# feature: async-callee
"""Awaiting an async function: its findings are inside it, never at the await."""

import json
from pathlib import Path

STATE = Path("/var/lib/agent/state.json")


async def load_state() -> dict:
    return json.loads(STATE.read_text())  # expect: BIO102


async def save_state(state: dict) -> None:
    STATE.write_text(json.dumps(state))  # expect: BIO103


async def step(event: dict) -> dict:
    state = await load_state()  # ok: the finding is inside load_state
    state.update(event)
    await save_state(state)  # ok: the finding is inside save_state
    return state


async def run(events: list[dict]) -> None:
    for event in events:
        await step(event)  # ok: async callee
