"""Fixed-window request limits per API key (in memory, loop-side only)."""

from __future__ import annotations


class RateLimiter:
    """At most ``limit`` requests per key in each ``window``-second window."""

    def __init__(self, limit: int = 600, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._buckets: dict[str, tuple[float, int]] = {}

    def allow(self, key: str, now: float) -> bool:
        started, count = self._buckets.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        if count >= self.limit:
            return False
        self._buckets[key] = (started, count + 1)
        return True

    def prune(self, now: float) -> int:
        """Forget windows that ended; returns how many were dropped."""
        stale = [key for key, (started, _) in self._buckets.items() if now - started >= self.window]
        for key in stale:
            del self._buckets[key]
        return len(stale)
