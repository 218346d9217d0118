"""Anchor for GET /health (relay.gateway.health).

Guards: ``HealthHandler.health``: the database ping and the disk check (a nested def) run
in worker threads; ``Metrics.snapshot`` takes a thread lock on the loop, which the gate
watches for contention (BIO302, the "guarded" findings in packages/answer_key.toml).
"""

from __future__ import annotations

import pytest

from relay.app import Relay


@pytest.mark.asyncio
async def test_health_reports_database_disk_and_counters(relay: Relay, call) -> None:
    relay.metrics.incr("sessions.created", 2)

    response = await call("GET", "/health")

    assert response.status == 200, response.body
    body = response.payload()
    assert body["status"] == "ok"
    assert body["database"] is True
    assert body["disk_free"] > 0
    assert body["counters"] == {"sessions.created": 2}


@pytest.mark.asyncio
async def test_health_is_degraded_when_the_disk_is_nearly_full(relay: Relay, call) -> None:
    relay.health.min_free_bytes = 1 << 62

    response = await call("GET", "/health")

    assert response.status == 503
    assert response.payload()["status"] == "degraded"
