"""End-to-end anchor: the relay served over TCP on 127.0.0.1, driven by a real client.

Guards the framework's own loop code (connection handling, lifespan with the start-up and
shutdown hooks, the request-id and auth hooks) together with the handlers it reaches.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from relay.app import Relay, create_app
from relay.settings import Settings

API_KEY = "relay-test-key-0001"


@pytest.fixture
def served(tmp_path: Path, settings: Settings) -> Relay:
    keys = tmp_path / "api-keys"
    keys.write_text(f"# rotated 2024-05\n{API_KEY}\n", encoding="utf-8")
    return create_app(
        Settings(
            data_dir=settings.data_dir,
            skills_dir=settings.skills_dir,
            tools_manifest=settings.tools_manifest,
            api_keys_file=keys,
        )
    )


async def http(
    port: int, method: str, path: str, body: object = None, key: str | None = API_KEY
) -> tuple[int, dict[str, str], object]:
    """One HTTP/1.1 request on a fresh connection; returns status, headers, JSON body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = json.dumps(body).encode() if body is not None else b""
    head = [f"{method} {path} HTTP/1.1", "host: relay", f"content-length: {len(payload)}"]
    if key is not None:
        head.append(f"x-api-key: {key}")
    head.append("connection: close")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    await writer.wait_closed()
    head_bytes, _, body_bytes = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split(" ")[1]), headers, json.loads(body_bytes) if body_bytes else None


@pytest.mark.asyncio
async def test_served_relay_creates_and_reads_a_session(served: Relay) -> None:
    async with served.app.lifespan():
        server = await served.app.start("127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            status, headers, created = await http(port, "POST", "/sessions", {"agent": "coder"})
            assert status == 201, created
            assert len(headers["x-request-id"]) == 32

            status, _, shown = await http(port, "GET", f"/sessions/{created['id']}")
            assert (status, shown) == (200, created)

            status, _, health = await http(port, "GET", "/health", key=None)
            assert status == 200 and health["status"] == "ok"

            status, _, _ = await http(port, "GET", "/sessions/x", key="wrong")
            assert status == 401
            assert served.housekeeper.running  # the start-up hook scheduled housekeeping
        finally:
            server.close()
            await server.wait_closed()
    assert not served.housekeeper.running  # the shutdown hook cancelled the timer
