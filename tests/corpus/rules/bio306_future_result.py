# feature: future-result
"""Waiting on concurrent.futures results on the loop."""

import asyncio
import concurrent.futures
from concurrent.futures import Future, ThreadPoolExecutor

POOL = ThreadPoolExecutor(max_workers=2)


async def render(fut: Future) -> bytes:
    return fut.result(timeout=30)  # expect: BIO306


async def failed(fut: Future) -> BaseException | None:
    return fut.exception()  # expect: BIO306


async def wait_all(futures: list[Future]) -> None:
    concurrent.futures.wait(futures)  # expect: BIO306


async def first_done(futures: list[Future]):
    for fut in concurrent.futures.as_completed(futures):  # expect: BIO306
        return fut


async def render_async(fut: Future) -> bytes:
    return await asyncio.wrap_future(fut)  # ok: awaiting the wrapped future


async def result_if_done(fut: Future) -> bytes | None:
    return fut.result(timeout=0) if fut.done() else None  # ok: done() then a zero timeout


async def is_done(fut: Future) -> bool:
    return fut.done()  # ok: does not wait


async def each_completed(futures: list[Future]) -> list[bytes]:
    out = []
    for fut in concurrent.futures.as_completed(futures):  # expect: BIO306
        out.append(fut.result())  # ok: as_completed yields futures that have their result
    return out


async def first_completed(futures: list[Future]) -> bytes:
    done, pending = concurrent.futures.wait(futures, return_when="FIRST_COMPLETED")  # expect: BIO306
    for fut in pending:
        fut.result()  # expect: BIO306
    return done.pop().result()  # ok: a future wait() found done
