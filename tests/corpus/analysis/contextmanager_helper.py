# feature: contextmanager-helper
"""`with helper() as x`: x is what a `@contextmanager` helper yields, as its `Iterator[X]` /
`AsyncIterator[X]` annotation says; the helper's own body is reached from the call."""

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path


@contextmanager
def connection(path: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path)
    try:
        yield conn
    finally:
        conn.close()  # ok: reported at the async call site


@asynccontextmanager
async def scratch(root: str) -> AsyncIterator[Path]:
    yield Path(root) / "scratch"  # ok: pure path arithmetic


@contextmanager
def label(name: str) -> Iterator[str]:
    yield name.strip()  # ok: str.strip


async def count(path: str) -> int:
    with connection(path) as conn:  # expect: BIO501
        return conn.execute("select count(*) from jobs").fetchone()[0]  # expect: BIO501


async def clean(root: str) -> None:
    async with scratch(root) as folder:
        folder.unlink()  # expect: BIO110


async def tag(name: str) -> str:
    with label(name) as text:
        return text.replace("-", "_")  # ok: str.replace on what label() yields
