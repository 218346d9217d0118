# feature: thread-lock-acquire
"""A metrics registry shared with worker threads, locked from async code.

Taking a thread lock on the loop waits only when some holder of the same lock does blocking
work while holding it: the flagged locks have such a holder (a worker thread writing a file,
sleeping), the others are held only for O(1) bookkeeping."""

import asyncio
import threading
import time
from pathlib import Path


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._alock = asyncio.Lock()
        self._sem = threading.BoundedSemaphore(4)
        self._stats_lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def _dump(self, path: Path) -> None:
        with self._lock:  # ok: a worker thread (to_thread below) holds it; not the loop
            path.write_text(repr(self.counts))  # ok: runs in a worker thread

    async def export(self, path: Path) -> None:
        await asyncio.to_thread(self._dump, path)  # ok: off the loop

    async def incr(self, name: str) -> None:
        with self._lock:  # expect: BIO302
            self.counts[name] = self.counts.get(name, 0) + 1

    async def snapshot(self) -> dict[str, int]:
        self._lock.acquire()  # expect: BIO302
        try:
            return dict(self.counts)
        finally:
            self._lock.release()  # ok: release never waits

    async def try_snapshot(self) -> dict[str, int] | None:
        if not self._lock.acquire(blocking=False):  # ok: a non-blocking acquire never waits
            return None
        try:
            return dict(self.counts)
        finally:
            self._lock.release()  # ok: release never waits

    def _throttled(self) -> None:
        with self._sem:  # ok: held in a thread
            time.sleep(0.5)  # ok: runs in a worker thread

    async def burst(self) -> None:
        await asyncio.to_thread(self._throttled)  # ok: off the loop

    async def limited(self) -> None:
        with self._sem:  # expect: BIO302
            pass

    async def bump(self) -> None:
        with self._stats_lock:  # ok: every holder only updates a dict
            self.counts["bumps"] = self.counts.get("bumps", 0) + 1

    def bump_from_thread(self) -> None:
        with self._stats_lock:  # ok: O(1) while held
            self.counts["thread"] = 1

    async def incr_async(self, name: str) -> None:
        async with self._alock:  # ok: asyncio.Lock
            self.counts[name] = self.counts.get(name, 0) + 1


REGISTRY_LOCK = threading.RLock()
SAVE_LOCK = threading.Lock()


async def register(name: str, registry: dict) -> None:
    with REGISTRY_LOCK:  # ok: every holder only sets a key
        registry[name] = True


def save_registry(registry: dict) -> None:
    with SAVE_LOCK:  # ok: called from a thread
        Path("registry.json").write_text(repr(registry))  # ok: runs in a worker thread


async def save_in_background(registry: dict) -> None:
    await asyncio.to_thread(save_registry, registry)  # ok: off the loop


async def register_saved(name: str, registry: dict) -> None:
    with SAVE_LOCK:  # expect: BIO302
        registry[name] = True


async def with_given_lock(lock: threading.Lock, registry: dict) -> None:
    with lock:  # expect: BIO302
        registry["x"] = 1


class TemplateCache:
    _mutex = threading.RLock()
    _compiled: dict = {}
    _io_mutex = threading.Lock()

    @classmethod
    def compile(cls, source: str) -> str:
        with TemplateCache._mutex:  # ok: named through the class; every holder only compiles
            return cls._compiled.setdefault(source, source.upper())

    @classmethod
    def persist(cls) -> None:
        with TemplateCache._io_mutex:  # ok: reported at the loop-side acquire below
            Path("templates.json").write_text(repr(cls._compiled))  # ok: in a thread


async def render(source: str) -> str:
    return TemplateCache.compile(source)  # ok: the class's lock guards in-memory work only


async def persist_templates() -> None:
    await asyncio.to_thread(TemplateCache.persist)  # ok: off the loop


async def compile_while_saving(source: str) -> str:
    with TemplateCache._io_mutex:  # expect: BIO302
        return source
