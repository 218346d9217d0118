"""Anchors for POST /sessions and GET /sessions/{id} (relay.gateway.sessions).

Guards: ``SessionHandler.create`` (workspace, manifest, SQLite row and first event are
written in worker threads) and ``SessionHandler.show``.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from relay.app import Relay


@pytest.mark.asyncio
async def test_create_session_provisions_workspace_row_and_event(relay: Relay, call) -> None:
    response = await call("POST", "/sessions", json={"agent": "researcher", "title": "Q3 report"})

    assert response.status == 201, response.body
    session = response.payload()
    assert session["agent"] == "researcher"
    assert session["title"] == "Q3 report"

    manifest_path = relay.settings.workspaces_dir / session["id"] / "manifest.json"
    manifest = json.loads(await asyncio.to_thread(manifest_path.read_text, encoding="utf-8"))
    assert manifest["id"] == session["id"]

    shown = await call("GET", f"/sessions/{session['id']}")
    assert shown.status == 200
    assert shown.payload() == session

    events = await call("GET", f"/sessions/{session['id']}/events")
    assert [e["type"] for e in events.payload()["events"]] == ["session.created"]


@pytest.mark.asyncio
async def test_create_session_requires_an_agent(call) -> None:
    response = await call("POST", "/sessions", json={"title": "no agent"})

    assert response.status == 422
    assert "agent" in response.payload()["error"]


@pytest.mark.asyncio
async def test_show_unknown_session_is_404(call) -> None:
    response = await call("GET", f"/sessions/{'0' * 32}")

    assert response.status == 404
