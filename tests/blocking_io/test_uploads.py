"""Anchors for session uploads (relay.gateway.uploads, relay.storage.uploads).

Guards: ``UploadHandler.put`` on its normal path (staging write and commit run in the
default executor) and ``UploadHandler.download``. Not driven on purpose: the checksum
mismatch branch of ``put`` (see packages/README.md: the one "entry-anchored" finding).
"""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from relay.app import Relay

REPORT = b"quarter,revenue\nQ1,10\nQ2,12\nQ3,17\n" * 50


async def _new_session(call) -> str:
    response = await call("POST", "/sessions", json={"agent": "analyst"})
    assert response.status == 201, response.body
    return response.payload()["id"]


@pytest.mark.asyncio
async def test_upload_then_download_round_trip(relay: Relay, call) -> None:
    session_id = await _new_session(call)
    digest = hashlib.sha256(REPORT).hexdigest()

    put = await call(
        "PUT",
        f"/sessions/{session_id}/uploads/C:%5Creports%5Cq3.csv",
        body=REPORT,
        headers={"x-content-sha256": digest},
    )

    assert put.status == 201, put.body
    assert put.payload() == {"name": "q3.csv", "size": len(REPORT), "sha256": digest}
    stored = relay.settings.uploads_dir / session_id / "q3.csv"
    assert await asyncio.to_thread(stored.read_bytes) == REPORT

    got = await call("GET", f"/sessions/{session_id}/uploads/q3.csv")
    assert got.status == 200
    assert got.body == REPORT
    assert got.headers["content-type"] == "text/csv"
    assert got.headers["content-disposition"] == 'attachment; filename="q3.csv"'


@pytest.mark.asyncio
async def test_upload_without_checksum_is_accepted(call) -> None:
    session_id = await _new_session(call)

    put = await call("PUT", f"/sessions/{session_id}/uploads/notes.txt", body=b"remember")

    assert put.status == 201
    assert put.payload()["sha256"] == hashlib.sha256(b"remember").hexdigest()


@pytest.mark.asyncio
async def test_download_missing_upload_is_404(call) -> None:
    session_id = await _new_session(call)

    got = await call("GET", f"/sessions/{session_id}/uploads/nothing.bin")

    assert got.status == 404
