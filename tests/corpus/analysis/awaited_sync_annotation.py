# feature: sqlalchemy-sync-call
"""`await x.m()` cannot be a sync method: awaiting what it returns raises TypeError. Real
code annotates an `AsyncSession` as `Session` and awaits its methods; the annotation is
wrong, the code is not."""

from sqlalchemy import select
from sqlalchemy.orm import Session


async def load(session: Session, query):
    result = await session.execute(select(query))  # ok: awaited, so an AsyncSession
    return result


async def load_sync(session: Session, query):
    return session.execute(select(query))  # expect: BIO506
