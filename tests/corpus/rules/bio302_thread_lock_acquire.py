# feature: thread-lock-acquire
"""A metrics registry shared with worker threads, locked from async code."""

import asyncio
import threading


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._alock = asyncio.Lock()
        self._sem = threading.BoundedSemaphore(4)
        self.counts: dict[str, int] = {}

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

    async def limited(self) -> None:
        with self._sem:  # expect: BIO302
            pass

    async def incr_async(self, name: str) -> None:
        async with self._alock:  # ok: asyncio.Lock
            self.counts[name] = self.counts.get(name, 0) + 1


REGISTRY_LOCK = threading.RLock()


async def register(name: str, registry: dict) -> None:
    with REGISTRY_LOCK:  # expect: BIO302
        registry[name] = True
