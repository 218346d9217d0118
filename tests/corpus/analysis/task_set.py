# feature: receiver-type
"""`asyncio.all_tasks()` is a set of asyncio tasks: asking a task for its exception never
waits, unlike `exception()` on a concurrent.futures future (which waits for the thread)."""

import asyncio
import concurrent.futures

POOL = concurrent.futures.ThreadPoolExecutor()


async def failures() -> list[BaseException]:
    found = []
    for task in asyncio.all_tasks():
        error = task.exception() if task.done() else None  # ok: an asyncio task never waits
        if error is not None:
            found.append(error)
    return found


async def job_error() -> BaseException | None:
    future = POOL.submit(print, "job")
    return future.exception()  # expect: BIO306
