# feature: offload-asgiref
"""asgiref.sync.sync_to_async wraps a sync function into an awaitable that runs in a thread."""

import sqlite3

from asgiref.sync import sync_to_async


def load_profile(user_id: int) -> tuple:
    conn = sqlite3.connect("/var/lib/relay/profiles.db")  # ok: runs in a thread via sync_to_async
    return conn.execute("SELECT * FROM profiles WHERE id = ?", (user_id,)).fetchone()  # ok: runs in a thread


aload_profile = sync_to_async(load_profile)  # ok: module-level code runs at import


async def profile(user_id: int) -> tuple:
    return await aload_profile(user_id)  # ok: the wrapper runs it in a thread


async def profile_inline(user_id: int) -> tuple:
    return await sync_to_async(load_profile, thread_sensitive=False)(user_id)  # ok: offloaded by reference


async def profile_direct(user_id: int) -> tuple:
    return load_profile(user_id)  # expect: BIO501
