# feature: sync-sleep
"""Retry loops that sleep the whole loop."""

import asyncio
import time
from time import sleep as pause


async def fetch_with_retry(client, url: str):
    for attempt in range(3):
        try:
            return await client.get(url)  # ok: unresolved coroutine call
        except ConnectionError:
            time.sleep(2**attempt)  # expect: BIO301
    raise RuntimeError(url)


async def throttle() -> None:
    pause(0.5)  # expect: BIO301


async def backoff(attempt: int) -> None:
    await asyncio.sleep(2**attempt)  # ok: asyncio.sleep


async def elapsed(start: float) -> float:
    return time.monotonic() - start  # ok: clock read, no sleep
