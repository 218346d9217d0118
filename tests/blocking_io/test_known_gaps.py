"""Opt-in anchors for endpoints that still block the event loop (``-m known_gap``).

They are correct tests of the behaviour, and they FAIL under the runtime gate: that is the
point. They show what the "failing" status of the coverage-gap report looks like:

    .venv/bin/python -m pytest tests/blocking_io -m "known_gap or not known_gap" \
        --blocking-io-report=.blocking-io/anchors.json
    .venv/bin/blocking-io gaps

When the endpoint is fixed (offload ``EventStore.append``), drop the marker: the test
becomes a regular anchor.
"""

from __future__ import annotations

import pytest

from relay.app import Relay

SESSION = "7" * 32


@pytest.mark.known_gap
@pytest.mark.asyncio
async def test_append_event_is_stored(relay: Relay, call) -> None:
    response = await call(
        "POST", f"/sessions/{SESSION}/events", json={"type": "message.sent", "data": {"n": 1}}
    )

    assert response.status == 201, response.body
    tail = await call("GET", f"/sessions/{SESSION}/events")
    assert [e["type"] for e in tail.payload()["events"]] == ["message.sent"]
