# feature: optional-attribute
"""Attributes that start as `None` (annotated `X | None` / `Optional[X]`, or not at all) and
are assigned later: the type they hold once assigned decides, not the placeholder."""

import asyncio
import sqlite3
import threading
from typing import Optional


class Journal:
    def last_entry(self) -> str:
        with open("/var/log/journal.txt") as fh:  # ok: reported at the async call site
            return fh.read()


class Journal2:
    def last_entry(self) -> str:
        return "in memory"  # ok: no IO


class Poller:
    journal: Journal = None
    cache: Journal2 = None

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._stopped: Optional[threading.Event] = None
        self._task: asyncio.Task[None] | None = None
        self._db = None

    def start(self) -> None:
        self._thread = threading.Thread(target=print)  # ok: sync code
        self._stopped = threading.Event()
        self.journal = Journal()
        self.cache = Journal2()
        self._db = sqlite3.connect("poller.db")  # ok: sync code

    async def stop(self) -> None:
        self._stopped.set()  # ok: Event.set does not wait
        self._task.cancel()  # ok: Task.cancel does not wait
        self._thread.join(timeout=10)  # expect: BIO304

    async def latest(self) -> str:
        return self.journal.last_entry()  # expect: BIO101

    async def cached(self) -> str:
        return self.cache.last_entry()  # ok: Journal2.last_entry is in memory

    async def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM jobs").fetchone()[0]  # expect: BIO501
