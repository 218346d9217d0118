# feature: thread-queue
"""A bridge between worker threads and the loop through queue.Queue."""

import asyncio
import queue

RESULTS: queue.Queue = queue.Queue()
EVENTS: asyncio.Queue = asyncio.Queue()


async def next_result():
    return RESULTS.get(timeout=1)  # expect: BIO305


async def submit(job) -> None:
    RESULTS.put(job)  # expect: BIO305


async def drain() -> None:
    RESULTS.join()  # expect: BIO305


async def next_event():
    return await EVENTS.get()  # ok: asyncio.Queue.get is a coroutine


async def poll_result():
    try:
        return RESULTS.get_nowait()  # ok: get_nowait never waits
    except queue.Empty:
        return None


async def poll_nonblocking():
    try:
        return RESULTS.get(block=False)  # ok: block=False never waits
    except queue.Empty:
        return None


async def submit_nonblocking(job) -> None:
    RESULTS.put(job, block=False)  # ok: block=False never waits


async def next_result_offloaded():
    return await asyncio.to_thread(RESULTS.get, timeout=1)  # ok: offloaded by reference
