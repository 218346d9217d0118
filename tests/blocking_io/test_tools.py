"""Anchors for POST /tools/{name}/run (relay.gateway.tools, relay.tools.runner).

Guards: ``ToolHandler.run``: the tool subprocess runs in a worker thread. The metrics
update after it is a BIO302 finding the gate watches (a contended lock would fail here).
"""

from __future__ import annotations

import pytest

from relay.app import Relay


@pytest.mark.asyncio
async def test_run_tool_returns_its_output(relay: Relay, call) -> None:
    response = await call("POST", "/tools/word-count/run", json={"text": "one two three"})

    assert response.status == 200, response.body
    result = response.payload()
    assert result["ok"] is True
    assert result["exit_code"] == 0
    assert result["stdout"].strip() == '{"words": 3}'
    assert relay.metrics.snapshot()["tools.ok"] == 1


@pytest.mark.asyncio
async def test_failing_tool_is_a_bad_gateway(relay: Relay, call) -> None:
    response = await call("POST", "/tools/fail/run", json={})

    assert response.status == 502
    assert response.payload()["exit_code"] == 3
    assert relay.metrics.snapshot()["tools.failed"] == 1


@pytest.mark.asyncio
async def test_unknown_tool_is_404(call) -> None:
    response = await call("POST", "/tools/rm-rf/run", json={})

    assert response.status == 404
