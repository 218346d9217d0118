# feature: thread-process-join
"""Joining workers and shutting down pools from async code."""

import asyncio
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

POOL = ThreadPoolExecutor(max_workers=4)


async def stop_indexer(thread: threading.Thread) -> None:
    thread.join(timeout=5)  # expect: BIO304


async def stop_renderer(proc: multiprocessing.Process) -> None:
    proc.join()  # expect: BIO304


async def shutdown() -> None:
    POOL.shutdown(wait=True)  # expect: BIO304


async def shutdown_later() -> None:
    POOL.shutdown(wait=False)  # ok: returns at once, the workers finish on their own
    POOL.shutdown(False, cancel_futures=True)  # ok: wait=False given by position


async def stop_indexer_offloaded(thread: threading.Thread) -> None:
    await asyncio.to_thread(thread.join, 5)  # ok: offloaded by reference


async def reap_if_done(thread: threading.Thread) -> None:
    thread.join(timeout=0)  # ok: a zero timeout never waits


async def is_running(thread: threading.Thread) -> bool:
    return thread.is_alive()  # ok: does not wait
