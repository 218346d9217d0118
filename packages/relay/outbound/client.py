"""Outbound webhooks over ``urllib.request`` (stdlib only: the relay installs nowhere).

``WebhookClient`` is synchronous. ``relay.outbound.notifier`` runs it in the default
executor; nothing in here may be called on the event loop.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

USER_AGENT = "relay-webhooks/1.0"


@dataclass(frozen=True)
class DeliveryResult:
    status: int
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class WebhookError(Exception):
    """The receiver answered with an error status, or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = True):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class WebhookClient:
    """POSTs JSON documents to one receiver URL."""

    def __init__(
        self, url: str, *, secret: str | None = None, timeout: float = 5.0, health_url: str = ""
    ) -> None:
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.health_url = health_url or url

    def post_json(self, payload: dict[str, Any]) -> DeliveryResult:
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        headers = {"content-type": "application/json", "user-agent": USER_AGENT}
        if self.secret:
            headers["authorization"] = f"Bearer {self.secret}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            status = self._open(request)
        except urllib.error.HTTPError as exc:
            raise WebhookError(
                f"{self.url} answered {exc.code}", status=exc.code, retryable=exc.code >= 500
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise WebhookError(f"{self.url} unreachable: {exc}") from exc
        return DeliveryResult(status)

    def probe(self) -> bool:
        """True if the receiver answers at all (any status below 500)."""
        request = urllib.request.Request(
            self.health_url, headers={"user-agent": USER_AGENT}, method="GET"
        )
        try:
            return self._open(request) < 500
        except urllib.error.HTTPError as exc:
            return exc.code < 500
        except (urllib.error.URLError, OSError):
            return False

    def _open(self, request: urllib.request.Request) -> int:
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return int(response.status)
