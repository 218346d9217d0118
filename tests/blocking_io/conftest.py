"""Runtime anchors for the embedded target (``packages/relay``).

Every test in this folder runs under the blocking-io runtime gate (the ``blocking_io``
pytest plugin gates ``anchor-paths`` from ``[tool.blocking-io]``): a blocking call made on
the event loop from ``relay`` code fails the test. Nothing here touches the gate.

Fixtures build the service the way ``python -m relay`` does: ``create_app`` is synchronous
and runs in a sync fixture, before any event loop (its start-up IO is allowed there). The
tests then drive the async entry points on the loop.

Tests marked ``known_gap`` are real anchors for endpoints that still block the loop: they
fail under the gate, which is what they demonstrate. They are deselected unless the ``-m``
expression names the marker (``pytest tests/blocking_io -m known_gap``).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# The gate plugin puts `source-roots` on sys.path; this keeps the anchors importable
# without it (e.g. with `-p no:blocking_io`).
PACKAGES = Path(__file__).resolve().parents[2] / "packages"
if str(PACKAGES) not in sys.path:
    sys.path.insert(0, str(PACKAGES))

from relay.app import Relay, create_app  # noqa: E402
from relay.framework import Request, Response  # noqa: E402
from relay.settings import Settings  # noqa: E402

KNOWN_GAP = "known_gap"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{KNOWN_GAP}: anchor for an endpoint that still blocks the loop; fails under the "
        "gate on purpose; opt in with -m known_gap",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if KNOWN_GAP in (config.getoption("markexpr", "") or ""):
        return
    deselected = [item for item in items if item.get_closest_marker(KNOWN_GAP)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(KNOWN_GAP)]


# -- service fixtures ---------------------------------------------------------------------

SKILLS = {
    "summarize": (
        "---\nname: summarize\ndescription: Summarize a document in five bullets.\n"
        "tools: word-count\n---\nRead the document, then write five bullet points.\n"
    ),
    "translate": (
        "---\nname: translate\ndescription: Translate text to English.\n---\n"
        "Translate the user's text; keep code blocks unchanged.\n"
    ),
    # no front matter: must be skipped with a warning, not break the catalogue
    "broken": "# just a heading\n",
}

WORD_COUNT = (
    "import json, sys\n"
    "args = json.load(sys.stdin)\n"
    "print(json.dumps({'words': len(str(args.get('text', '')).split())}))\n"
)


@pytest.fixture
def skills_dir(tmp_path: Path) -> Path:
    root = tmp_path / "skills"
    for directory, text in SKILLS.items():
        (root / directory).mkdir(parents=True)
        (root / directory / "SKILL.md").write_text(text, encoding="utf-8")
    (root / "README.txt").write_text("not a skill", encoding="utf-8")
    return root


@pytest.fixture
def tools_manifest(tmp_path: Path) -> Path:
    script = tmp_path / "word_count.py"
    script.write_text(WORD_COUNT, encoding="utf-8")
    manifest = tmp_path / "tools.json"
    tools = [
        {
            "name": "word-count",
            "argv": [sys.executable, str(script)],
            "timeout": 20,
            "description": "count words",
        },
        {"name": "fail", "argv": [sys.executable, "-c", "import sys; sys.exit(3)"]},
    ]
    manifest.write_text(json.dumps({"tools": tools}), encoding="utf-8")
    return manifest


@pytest.fixture
def settings(tmp_path: Path, skills_dir: Path, tools_manifest: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        skills_dir=skills_dir,
        tools_manifest=tools_manifest,
        max_upload_bytes=1024 * 1024,
    )


@pytest.fixture
def relay(settings: Settings) -> Relay:
    """The whole service on real files and a real SQLite database under tmp_path."""
    return create_app(settings)


Call = Callable[..., Awaitable[Response]]


@pytest.fixture
def call(relay: Relay) -> Call:
    """``await call("POST", "/sessions", json={...})``: one request through the app's real
    pipeline (hooks, router, handler, error mapping), without a socket."""

    async def call(
        method: str,
        target: str,
        *,
        json: object = None,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> Response:
        if json is not None:
            body = _json_bytes(json)
        request = Request.build(method, target, headers=headers, body=body, client="anchor")
        return await relay.app.dispatch(request)

    return call


def _json_bytes(value: object) -> bytes:
    return json.dumps(value).encode()


# -- a webhook receiver on 127.0.0.1 ------------------------------------------------------


@dataclass
class Receiver:
    """A real HTTP server in a thread that records what it is sent."""

    url: str
    status: int = 204
    received: list[dict[str, object]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    # a proxy configured in the environment must not intercept 127.0.0.1
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")

    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            state.received.append(json.loads(self.rfile.read(length)))
            state.headers.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(state.status)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/relay"
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
