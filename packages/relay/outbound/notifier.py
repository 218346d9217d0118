"""Fire-and-forget webhook notifications for session events."""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from ..metrics import Metrics
from ..storage.deadletters import DeadLetterBox
from .client import DeliveryResult, WebhookClient, WebhookError

log = logging.getLogger(__name__)


class WebhookNotifier:
    """Delivers event payloads to the webhook receiver with retries.

    ``schedule`` starts a background delivery and returns at once; a done callback records
    the outcome and parks payloads that could not be delivered in the dead-letter box.
    """

    def __init__(
        self,
        client: WebhookClient,
        dead_letters: DeadLetterBox,
        metrics: Metrics,
        *,
        attempts: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.client = client
        self.dead_letters = dead_letters
        self.metrics = metrics
        self.attempts = attempts
        self.backoff = backoff
        # in-flight deliveries and their payloads (for the dead-letter box)
        self._pending: dict[asyncio.Task[DeliveryResult], dict[str, Any]] = {}

    async def deliver(self, payload: dict[str, Any]) -> DeliveryResult:
        """POST ``payload``, retrying transient failures with exponential backoff."""
        loop = asyncio.get_running_loop()
        for attempt in range(1, self.attempts + 1):
            try:
                result = await loop.run_in_executor(
                    None, functools.partial(self.client.post_json, payload)
                )
            except WebhookError as exc:
                if not exc.retryable or attempt == self.attempts:
                    raise
                delay = self.backoff * 2 ** (attempt - 1)
                log.info("webhook attempt %d failed (%s); retrying in %.1fs", attempt, exc, delay)
                await asyncio.sleep(delay)
            else:
                return DeliveryResult(result.status, attempts=attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def schedule(self, payload: dict[str, Any]) -> asyncio.Task[DeliveryResult]:
        """Deliver in the background (call from the loop)."""
        task = asyncio.get_running_loop().create_task(
            self.deliver(payload), name=f"webhook-{payload.get('id', 'event')}"
        )
        self._pending[task] = payload
        task.add_done_callback(self._on_done)
        return task

    def _on_done(self, task: asyncio.Task[DeliveryResult]) -> None:
        payload = self._pending.pop(task, {})
        error = None if task.cancelled() else task.exception()
        outcome = "cancelled" if task.cancelled() else "failed" if error else "delivered"
        self.metrics.incr(f"webhooks.{outcome}")
        if error is not None:
            log.warning("webhook delivery %s failed: %s", task.get_name(), error)
            self.dead_letters.push(task.get_name(), payload, repr(error))

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait for in-flight deliveries (at shutdown); cancel what is left after ``timeout``."""
        if not self._pending:
            return
        _done, pending = await asyncio.wait(set(self._pending), timeout=timeout)
        for task in pending:
            task.cancel()
