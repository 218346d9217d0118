"""Session events: ``/sessions/{session_id}/events``."""

from __future__ import annotations

import asyncio
import re

from ..framework import HTTPError, Request, Response
from ..outbound.notifier import WebhookNotifier
from ..storage.events import EventStore
from .sessions import check_session_id

_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


class EventHandler:
    def __init__(self, store: EventStore, notifier: WebhookNotifier | None = None) -> None:
        self.store = store
        self.notifier = notifier

    async def append(self, request: Request) -> Response:
        """POST /sessions/{session_id}/events {"type": "...", "data": {...}}"""
        session_id = check_session_id(request.params["session_id"])
        body = request.json()
        event_type = str(body.get("type", ""))
        if not _EVENT_TYPE.match(event_type):
            raise HTTPError(422, "'type' must be a lowercase dotted name")
        data = body.get("data") or {}
        if not isinstance(data, dict):
            raise HTTPError(422, "'data' must be an object")
        event = self.store.append(session_id, event_type, data)
        if self.notifier is not None:
            self.notifier.schedule(event.to_dict())
        return Response.json(event.to_dict(), status=201)

    async def tail(self, request: Request) -> Response:
        """GET /sessions/{session_id}/events?after=&limit="""
        session_id = check_session_id(request.params["session_id"])
        after = request.int_query("after", 0, maximum=10**9)
        limit = request.int_query("limit", 100, minimum=1, maximum=1000)
        events = await asyncio.to_thread(
            lambda: self.store.read_since(session_id, after=after, limit=limit)
        )
        last = events[-1].seq if events else after
        return Response.json({"events": [e.to_dict() for e in events], "next_after": last})
