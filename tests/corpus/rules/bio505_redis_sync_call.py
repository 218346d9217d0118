# feature: redis-sync-call
"""Session cache in Redis: the sync client on the loop, and the asyncio client."""

import redis
import redis.asyncio
import redis.client

REDIS = redis.Redis(host="cache", port=6379)
AREDIS = redis.asyncio.Redis(host="cache", port=6379)


async def get_session(sid: str) -> bytes | None:
    return REDIS.get(f"session:{sid}")  # expect: BIO505


async def touch_session(sid: str) -> None:
    REDIS.expire(f"session:{sid}", 3600)  # expect: BIO505


async def session_exists(sid: str) -> bool:
    return bool(REDIS.exists(f"session:{sid}"))  # expect: BIO505


async def new_batch() -> redis.client.Pipeline:
    return REDIS.pipeline()  # ok: building a pipeline sends nothing


async def flush_batch(pipe: redis.client.Pipeline) -> list:
    return pipe.execute()  # expect: BIO505


async def get_session_async(sid: str) -> bytes | None:
    return await AREDIS.get(f"session:{sid}")  # ok: redis.asyncio.Redis.get is a coroutine


async def session_exists_async(sid: str) -> bool:
    return bool(await AREDIS.exists(f"session:{sid}"))  # ok: redis.asyncio.Redis.exists is a coroutine
