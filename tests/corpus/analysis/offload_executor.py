# feature: offload-executor
"""concurrent.futures executors: submit / map run the callable in the pool."""

import asyncio
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

THUMBS = Path("/srv/thumbs")
POOL = ThreadPoolExecutor(max_workers=4)
CPU_POOL = ProcessPoolExecutor(max_workers=2)


def make_thumbnail(name: str) -> Path:
    src = THUMBS / name
    data = src.read_bytes()  # ok: runs in the pool
    out = src.with_suffix(".thumb")
    out.write_bytes(data[:1024])  # ok: runs in the pool
    return out


async def thumbnail(name: str) -> Path:
    future = POOL.submit(make_thumbnail, name)  # ok: submitted to the pool
    return await asyncio.wrap_future(future)  # ok: awaiting the wrapped future


async def thumbnails(names: list[str]) -> None:
    POOL.map(make_thumbnail, names)  # ok: mapped in the pool, results not consumed here


async def thumbnail_cpu(name: str) -> Path:
    return await asyncio.wrap_future(CPU_POOL.submit(make_thumbnail, name))  # ok: submitted to the process pool


async def thumbnail_inline(name: str) -> Path:
    return make_thumbnail(name)  # expect: BIO102
