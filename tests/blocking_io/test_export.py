"""Anchor for POST /sessions/{id}/export (relay.gateway.sessions.SessionHandler.export).

A cautionary example, kept on purpose: zipping is slow, so this anchor replaces
``shutil.make_archive`` with a fake. It checks the handler's logic, but the offload it
exercises has no teeth: with the ``asyncio.to_thread`` reverted, the fake runs on the loop
and nothing blocks. `make teeth` reports the site as toothless (packages/answer_key.toml).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from relay.app import Relay


@pytest.mark.asyncio
async def test_export_names_the_archive(relay: Relay, call, monkeypatch) -> None:
    made: list[str] = []

    def fake_make_archive(base_name: str, fmt: str, root_dir: str | None = None) -> str:
        made.append(base_name)
        return f"{base_name}.{fmt}"

    monkeypatch.setattr(shutil, "make_archive", fake_make_archive)
    created = await call("POST", "/sessions", json={"agent": "archivist"})
    session_id = created.payload()["id"]

    response = await call("POST", f"/sessions/{session_id}/export")

    assert response.status == 201, response.body
    assert response.payload() == {"archive": f"{session_id}-export.zip"}
    assert [Path(m).name for m in made] == [f"{session_id}-export"]
