"""Process-wide counters, shared by loop code and worker threads."""

from __future__ import annotations

import threading
import time
from collections import Counter


class Metrics:
    """Counters behind a ``threading.Lock``.

    Worker threads (tool runs, webhook deliveries) and handlers on the loop both update
    them, so an ``asyncio.Lock`` would not do. The critical sections are a dict update;
    the loop only waits if a worker thread holds the lock at that very moment (BIO302: the
    runtime gate fails an anchor exactly then).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: Counter[str] = Counter()
        self._started = time.monotonic()

    def incr(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counters[name] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counters.items()))

    def uptime(self) -> float:
        return round(time.monotonic() - self._started, 3)
