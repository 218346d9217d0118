"""Periodic housekeeping on the event loop (``loop.call_later``), no extra thread."""

from __future__ import annotations

import asyncio
import logging
import time

from ..storage.config import ConfigFile
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)


class Housekeeper:
    """Every ``interval`` seconds: pick up rotated API keys, forget stale rate buckets."""

    def __init__(
        self, api_keys: ConfigFile | None, limiter: RateLimiter, *, interval: float = 30.0
    ) -> None:
        self.api_keys = api_keys
        self.limiter = limiter
        self.interval = interval
        self._loop: asyncio.AbstractEventLoop | None = None
        self._handle: asyncio.TimerHandle | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._handle = loop.call_later(self.interval, self._tick)

    @property
    def running(self) -> bool:
        return self._handle is not None

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _tick(self) -> None:
        try:
            if self.api_keys is not None and self.api_keys.refresh():
                log.info("API keys reloaded")
            self.limiter.prune(time.monotonic())
        except Exception:
            log.exception("housekeeping failed")
        finally:
            if self._loop is not None and self._handle is not None:
                self._handle = self._loop.call_later(self.interval, self._tick)
