# feature: async-namesake
"""Async APIs with the names of blocking ones: awaited coroutines are not findings."""

import asyncio
import asyncio.subprocess
import os

import aiofiles
import aiofiles.os
import anyio
import redis.asyncio


class AsyncStore:
    async def read_text(self, key: str) -> str:
        await asyncio.sleep(0)  # ok: asyncio.sleep
        return key

    async def exists(self, key: str) -> bool:
        return bool(key)  # ok: pure


AREDIS = redis.asyncio.Redis()
SYNC_REDIS = redis.Redis()


async def cache_hit(key: str) -> bool:
    return bool(await AREDIS.exists(key))  # ok: redis.asyncio.Redis.exists is a coroutine


async def cache_hit_sync_client(key: str) -> bool:
    return bool(SYNC_REDIS.exists(key))  # expect: BIO505


async def cached(key: str) -> bytes | None:
    return await AREDIS.get(key)  # ok: redis.asyncio.Redis.get is a coroutine


async def store_read(store: AsyncStore, key: str) -> str:
    if await store.exists(key):  # ok: AsyncStore.exists is async
        return await store.read_text(key)  # ok: AsyncStore.read_text is async
    return ""


async def file_exists(path: str) -> bool:
    return await aiofiles.os.path.exists(path)  # ok: aiofiles.os.path.exists is async


async def file_exists_sync(path: str) -> bool:
    return os.path.exists(path)  # expect: BIO106


async def remove(path: str) -> None:
    await aiofiles.os.remove(path)  # ok: aiofiles.os.remove is async


async def read(path: str) -> str:
    async with aiofiles.open(path) as fh:  # ok: aiofiles.open is async
        return await fh.read()  # ok: aiofiles file read is a coroutine


async def anyio_read(path: str) -> str:
    return await anyio.Path(path).read_text()  # ok: anyio.Path.read_text is async


async def run(cmd: list[str]) -> int:
    proc = await asyncio.create_subprocess_exec(*cmd)  # ok: asyncio subprocess
    return await proc.wait()  # ok: asyncio Process.wait is a coroutine


async def pause() -> None:
    await asyncio.sleep(1)  # ok: asyncio.sleep
    await anyio.sleep(1)  # ok: anyio.sleep


async def wait_event(event: asyncio.Event, lock: asyncio.Lock, queue: asyncio.Queue) -> None:
    await event.wait()  # ok: asyncio.Event.wait is a coroutine
    async with lock:  # ok: asyncio.Lock
        await queue.put(1)  # ok: asyncio.Queue.put is a coroutine
        await queue.join()  # ok: asyncio.Queue.join is a coroutine
