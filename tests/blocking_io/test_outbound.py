"""Anchors for webhook delivery (relay.outbound.notifier, relay.outbound.client).

Guards: ``WebhookNotifier.deliver``: the urllib POST runs in the default executor
(``run_in_executor`` with a ``functools.partial``). The receiver is a real HTTP server on
127.0.0.1 (the only thing that would leave the machine in production).
"""

from __future__ import annotations

import pytest

from relay.metrics import Metrics
from relay.outbound.client import WebhookClient, WebhookError
from relay.outbound.notifier import WebhookNotifier
from relay.storage.deadletters import DeadLetterBox


@pytest.fixture
def notifier(receiver, tmp_path) -> WebhookNotifier:
    client = WebhookClient(receiver.url, secret="s3cret", timeout=5)
    return WebhookNotifier(client, DeadLetterBox(tmp_path), Metrics(), attempts=2, backoff=0.01)


@pytest.mark.asyncio
async def test_deliver_posts_the_event(notifier: WebhookNotifier, receiver) -> None:
    event = {"id": "e1", "type": "session.created", "data": {"agent": "researcher"}}

    result = await notifier.deliver(event)

    assert result.ok
    assert result.attempts == 1
    assert receiver.received == [event]
    assert receiver.headers[0]["authorization"] == "Bearer s3cret"


@pytest.mark.asyncio
async def test_deliver_retries_server_errors_then_gives_up(
    notifier: WebhookNotifier, receiver
) -> None:
    receiver.status = 503

    with pytest.raises(WebhookError) as caught:
        await notifier.deliver({"id": "e2", "type": "x"})

    assert caught.value.status == 503
    assert len(receiver.received) == 2
