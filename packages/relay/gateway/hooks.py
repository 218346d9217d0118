"""The relay's framework hooks.

The framework calls every ``on_startup`` / ``on_shutdown`` / ``on_request`` / ``on_response``
method registered here synchronously, ON THE EVENT LOOP (see ``relay.framework.hooks``).
They must stay in memory: anything that touches the disk or the network belongs in an
async handler that offloads it. ``pyproject.toml`` lists these methods under
``loop-entrypoints`` so that the static detector treats them as loop code.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
import uuid

from ..framework import App, Request, Response
from ..storage.accesslog import AccessLog
from ..storage.config import ConfigFile
from .housekeeping import Housekeeper
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)

# Paths that load balancers and orchestrators probe without credentials.
PUBLIC_PATHS = frozenset({"/health", "/ready"})


class LifecycleHooks:
    def __init__(self, housekeeper: Housekeeper) -> None:
        self.housekeeper = housekeeper

    def on_startup(self, app: App) -> None:
        app.state["started_at"] = time.time()
        self.housekeeper.start(asyncio.get_running_loop())
        log.info("%s started", app.name)

    def on_shutdown(self, app: App) -> None:
        self.housekeeper.stop()
        log.info("%s stopping after %.0fs", app.name, time.time() - app.state["started_at"])


class RequestIdHook:
    """Tags each request with an id (from ``x-request-id`` or a new one) and times it."""

    def on_request(self, request: Request) -> None:
        request.state["request_id"] = request.header("x-request-id") or uuid.uuid4().hex
        request.state["started"] = time.perf_counter()

    def on_response(self, request: Request, response: Response) -> None:
        response.headers["x-request-id"] = request.state.get("request_id", "")


class AuthHook:
    """``x-api-key`` must be one of the keys in the API-keys file (kept fresh by the
    housekeeper); each key gets a request budget per minute."""

    def __init__(self, keys: ConfigFile, limiter: RateLimiter) -> None:
        self.keys = keys
        self.limiter = limiter

    def on_request(self, request: Request) -> Response | None:
        if request.path in PUBLIC_PATHS:
            return None
        presented = request.header("x-api-key") or ""
        if not any(hmac.compare_digest(presented, key) for key in self.keys.current()):
            return Response.json({"error": "missing or unknown API key", "status": 401}, 401)
        if not self.limiter.allow(presented, time.monotonic()):
            return Response.json({"error": "rate limit exceeded", "status": 429}, 429)
        request.state["api_key"] = presented[:6]
        return None


class AccessLogHook:
    """One JSON line per request in the access log (enabled with ``--access-log``)."""

    def __init__(self, log_file: AccessLog) -> None:
        self.log_file = log_file

    def on_response(self, request: Request, response: Response) -> None:
        started = request.state.get("started")
        self.log_file.write(
            {
                "ts": round(time.time(), 3),
                "request_id": request.state.get("request_id", ""),
                "client": request.client,
                "method": request.method,
                "path": request.path,
                "status": response.status,
                "bytes": len(response.body),
                "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "key": request.state.get("api_key"),
            }
        )
