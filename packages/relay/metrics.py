"""Process-wide counters, shared by loop code and worker threads."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path


class Metrics:
    """Counters behind a ``threading.Lock``.

    Worker threads (tool runs, webhook deliveries) and handlers on the loop both update
    them, so an ``asyncio.Lock`` would not do. Most critical sections are a dict update,
    but ``record_run`` (the tool runner's worker thread) also appends to the run journal
    while it holds the lock: a handler on the loop that counts at that moment waits for the
    disk (BIO302 on every loop-side ``incr`` / ``snapshot``; the runtime gate fails an anchor
    exactly when the lock is held then).
    """

    def __init__(self, journal: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._counters: Counter[str] = Counter()
        self._started = time.monotonic()
        self.journal = journal

    def record_run(self, tool: str, seconds: float) -> None:
        """Count a tool run and journal it, one line per run (counts survive restarts)."""
        with self._lock:
            self._counters[f"tools.{tool}.runs"] += 1
            if self.journal is not None:
                with self.journal.open("a", encoding="utf-8") as out:
                    out.write(f"{time.time():.3f} {tool} {seconds:.3f}\n")

    def incr(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counters[name] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counters.items()))

    def uptime(self) -> float:
        return round(time.monotonic() - self._started, 3)
