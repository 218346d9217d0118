"""Anchor for GET /sessions/{id}/events (relay.gateway.events).

Guards: ``EventHandler.tail`` (the JSONL log is read in a worker thread, through a lambda).
The log is seeded with the store's own sync API in the fixture, before the loop runs:
POST .../events (``EventHandler.append``) still writes on the loop and has no anchor in
the default run (see test_known_gaps.py).
"""

from __future__ import annotations

import pytest

from relay.app import Relay

SESSION = "5" * 32


@pytest.fixture
def seeded(relay: Relay) -> Relay:
    for n in range(5):
        relay.events.append(SESSION, "message.sent", {"n": n})
    return relay


@pytest.mark.asyncio
async def test_tail_pages_through_the_log(seeded: Relay, call) -> None:
    first = await call("GET", f"/sessions/{SESSION}/events?limit=3")
    assert first.status == 200
    page = first.payload()
    assert [e["data"]["n"] for e in page["events"]] == [0, 1, 2]
    assert page["next_after"] == 3

    rest = await call("GET", f"/sessions/{SESSION}/events?after={page['next_after']}")
    assert [e["seq"] for e in rest.payload()["events"]] == [4, 5]


@pytest.mark.asyncio
async def test_tail_of_an_unknown_session_is_empty(call) -> None:
    response = await call("GET", f"/sessions/{'6' * 32}/events")

    assert response.status == 200
    assert response.payload() == {"events": [], "next_after": 0}
