"""HTTP/1.1 messages for the relay framework: parsing requests from a stream, writing responses.

Only what the gateway needs: request line, headers, a Content-Length body (no chunked
uploads), keep-alive. Everything here is non-blocking: it reads from an
``asyncio.StreamReader`` and returns bytes for an ``asyncio.StreamWriter``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEADER_BYTES = 16 * 1024


class HTTPError(Exception):
    """Raised by handlers (or the framework) to answer with an error status."""

    def __init__(self, status: int, detail: str = "", *, headers: dict[str, str] | None = None):
        super().__init__(f"{status} {detail}".strip())
        self.status = status
        self.detail = detail or HTTPStatus(status).phrase
        self.headers = headers or {}


class BadRequest(HTTPError):
    """The bytes on the wire are not a request we can parse."""

    def __init__(self, detail: str):
        super().__init__(400, detail)


@dataclass
class Request:
    """One parsed request. ``params`` are filled by the router from the path template."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    client: str = ""
    # Per-request scratch space for hooks (request id, start time, authenticated key).
    state: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        method: str,
        target: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        client: str = "",
    ) -> Request:
        """Build a request from a method and a request target (path plus query string)."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return cls(
            method=method.upper(),
            path=unquote(parts.path) or "/",
            query=query,
            headers=lowered,
            body=body,
            client=client,
        )

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        """The body decoded as JSON; an empty body is ``{}``."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HTTPError(400, f"invalid JSON body: {exc}") from exc

    def int_query(self, name: str, default: int, *, minimum: int = 0, maximum: int = 10_000) -> int:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError as exc:
            raise HTTPError(400, f"query parameter {name!r} must be an integer") from exc
        return max(minimum, min(maximum, value))


@dataclass
class Response:
    """A complete response; bodies are small enough to be held in memory."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        payload = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
        merged = {"content-type": "application/json"}
        merged.update(headers or {})
        return cls(status=status, body=payload, headers=merged)

    @classmethod
    def text(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), {"content-type": "text/plain; charset=utf-8"})

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status=status)

    @classmethod
    def from_error(cls, error: HTTPError) -> Response:
        response = cls.json({"error": error.detail, "status": error.status}, status=error.status)
        response.headers.update(error.headers)
        return response

    def payload(self) -> Any:
        """The body decoded as JSON (for tests and for hooks that inspect responses)."""
        return json.loads(self.body) if self.body else None

    def encode(self, *, keep_alive: bool) -> bytes:
        """Serialize status line, headers and body for the wire."""
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = "Unknown"
        headers = {k.lower(): v for k, v in self.headers.items()}
        headers["content-length"] = str(len(self.body))
        headers["connection"] = "keep-alive" if keep_alive else "close"
        lines = [f"HTTP/1.1 {self.status} {reason}"]
        lines += [f"{name}: {value}" for name, value in sorted(headers.items())]
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("latin-1") + self.body


async def read_request(
    reader: asyncio.StreamReader, *, max_body: int, client: str = ""
) -> Request | None:
    """Read one request from ``reader``; ``None`` when the peer closed the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise BadRequest("truncated request head") from exc
    except asyncio.LimitOverrunError as exc:
        raise HTTPError(431, "request head too large") from exc
    if len(head) > MAX_HEADER_BYTES:
        raise HTTPError(431, "request head too large")

    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = request_line.split(" ")
    except ValueError as exc:
        raise BadRequest(f"malformed request line: {request_line!r}") from exc
    if not version.startswith("HTTP/1."):
        raise HTTPError(505, f"unsupported protocol {version}")

    headers: dict[str, str] = {}
    for line in header_lines:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest(f"malformed header line: {line!r}")
        headers[name.strip().lower()] = value.strip()

    length = headers.get("content-length", "0")
    if not length.isdigit():
        raise BadRequest("invalid Content-Length")
    if int(length) > max_body:
        raise HTTPError(413, f"body larger than {max_body} bytes")
    body = await reader.readexactly(int(length)) if int(length) else b""
    return Request.build(method, target, headers=headers, body=body, client=client)


def wants_keep_alive(request: Request) -> bool:
    return (request.header("connection") or "").lower() != "close"
