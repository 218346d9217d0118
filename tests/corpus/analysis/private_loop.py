# feature: private-loop
"""A coroutine run by `asyncio.run` inside a worker thread runs on that thread's private
loop, not the service's: its blocking calls block the worker only (lowest impact, reported
only with --min-impact script)."""

import asyncio
import threading
import time


async def poll_private() -> None:
    time.sleep(1)  # ok: only ever run on the worker thread's private loop


def worker() -> None:
    asyncio.run(poll_private())  # ok: a private loop in a thread


async def start_worker() -> None:
    threading.Thread(target=worker, daemon=True).start()  # ok: the thread runs it


async def on_the_service_loop() -> None:
    time.sleep(1)  # expect: BIO301
