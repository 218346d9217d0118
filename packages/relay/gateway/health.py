"""Liveness and readiness: ``/health`` and ``/ready``."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from ..framework import Request, Response
from ..metrics import Metrics
from ..outbound.client import WebhookClient
from ..storage.db import SessionDB

MIN_FREE_BYTES = 256 * 1024 * 1024


class HealthHandler:
    def __init__(
        self,
        db: SessionDB,
        metrics: Metrics,
        data_dir: Path,
        webhooks: WebhookClient | None = None,
        *,
        min_free_bytes: int = MIN_FREE_BYTES,
    ) -> None:
        self.db = db
        self.metrics = metrics
        self.data_dir = data_dir
        self.webhooks = webhooks
        self.min_free_bytes = min_free_bytes

    async def health(self, request: Request) -> Response:
        """GET /health: database reachable, enough disk, counters."""
        data_dir = self.data_dir

        def disk_free() -> int:
            return shutil.disk_usage(data_dir).free

        database_ok, free = await asyncio.gather(
            asyncio.to_thread(self._database_ok), asyncio.to_thread(disk_free)
        )
        counters = self.metrics.snapshot()
        healthy = database_ok and free >= self.min_free_bytes
        return Response.json(
            {
                "status": "ok" if healthy else "degraded",
                "database": database_ok,
                "disk_free": free,
                "uptime": self.metrics.uptime(),
                "counters": counters,
            },
            status=200 if healthy else 503,
        )

    async def ready(self, request: Request) -> Response:
        """GET /ready: like /health, plus the webhook receiver must answer."""
        upstream_ok = self.webhooks.probe() if self.webhooks is not None else True
        database_ok = await asyncio.to_thread(self._database_ok)
        ready = upstream_ok and database_ok
        return Response.json(
            {"ready": ready, "database": database_ok, "webhooks": upstream_ok},
            status=200 if ready else 503,
        )

    def _database_ok(self) -> bool:
        try:
            return self.db.ping()
        except Exception:
            return False
