# feature: thread-sync-wait
"""Waiting for a background thread's signal on the loop."""

import asyncio
import threading

READY = threading.Event()
AREADY = asyncio.Event()


async def wait_until_ready() -> None:
    READY.wait(timeout=5)  # expect: BIO303


async def wait_for_model(cond: threading.Condition, state: dict) -> None:
    cond.wait_for(lambda: state.get("loaded"), timeout=1)  # expect: BIO303


async def rendezvous(barrier: threading.Barrier) -> None:
    barrier.wait()  # expect: BIO303


async def wait_until_ready_async() -> None:
    await AREADY.wait()  # ok: asyncio.Event.wait is a coroutine


async def wait_offloaded() -> None:
    await asyncio.to_thread(READY.wait, 5)  # ok: offloaded by reference


async def is_ready() -> bool:
    return READY.wait(0)  # ok: a zero timeout only polls


async def signal() -> None:
    READY.set()  # ok: Event.set never waits
