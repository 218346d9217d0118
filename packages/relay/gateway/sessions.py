"""Agent sessions: ``/sessions`` and ``/sessions/{session_id}``."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
import uuid
from pathlib import Path

from ..framework import HTTPError, Request, Response
from ..storage.db import SessionDB, SessionRecord
from ..storage.events import EventStore

_SESSION_ID = re.compile(r"^[a-f0-9]{32}$")
MANIFEST = "manifest.json"


def check_session_id(session_id: str) -> str:
    if not _SESSION_ID.match(session_id):
        raise HTTPError(404, f"no session {session_id!r}")
    return session_id


class SessionHandler:
    """A session is a database row, a workspace directory and an event log."""

    def __init__(self, db: SessionDB, events: EventStore, workspaces: Path) -> None:
        self.db = db
        self.events = events
        self.workspaces = workspaces

    def workspace(self, session_id: str) -> Path:
        return self.workspaces / session_id

    def manifest_path(self, session_id: str) -> Path:
        return self.workspace(session_id) / MANIFEST

    # -- handlers -------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        """POST /sessions {"agent": "...", "title": "..."}"""
        body = request.json()
        agent = str(body.get("agent", "")).strip()
        if not agent:
            raise HTTPError(422, "'agent' is required")
        now = time.time()
        record = SessionRecord(
            id=uuid.uuid4().hex,
            agent=agent,
            title=str(body.get("title", ""))[:200],
            created_at=now,
            updated_at=now,
        )
        await asyncio.to_thread(self._provision, record)
        await asyncio.to_thread(self.events.append, record.id, "session.created", {"agent": agent})
        return Response.json(record.to_dict(), status=201)

    async def show(self, request: Request) -> Response:
        """GET /sessions/{session_id}"""
        session_id = check_session_id(request.params["session_id"])
        record = await asyncio.to_thread(self.db.get_session, session_id)
        if record is None:
            raise HTTPError(404, f"no session {session_id!r}")
        return Response.json(record.to_dict())

    async def index(self, request: Request) -> Response:
        """GET /sessions?limit=&offset="""
        limit = request.int_query("limit", 50, minimum=1, maximum=500)
        offset = request.int_query("offset", 0)
        records = self.db.list_sessions(limit=limit, offset=offset)
        return Response.json({"sessions": [r.to_dict() for r in records], "offset": offset})

    async def delete(self, request: Request) -> Response:
        """DELETE /sessions/{session_id}: drop the row and the workspace, keep the event log."""
        session_id = check_session_id(request.params["session_id"])
        workspace = self.workspace(session_id).resolve()
        if workspace.parent != self.workspaces.resolve():
            raise HTTPError(400, "workspace outside the workspaces root")
        deleted = await asyncio.to_thread(self.db.delete_session, session_id)
        if not deleted:
            raise HTTPError(404, f"no session {session_id!r}")
        self.events.append(session_id, "session.deleted", {})
        shutil.rmtree(workspace, ignore_errors=True)
        return Response.empty()

    async def restore(self, request: Request) -> Response:
        """POST /sessions/{session_id}/restore: re-create the row from the workspace manifest."""
        session_id = check_session_id(request.params["session_id"])
        manifest_path = self.manifest_path(session_id)
        try:
            record = await asyncio.to_thread(
                self.db.restore_session, json.loads(manifest_path.read_text(encoding="utf-8"))
            )
        except FileNotFoundError:
            raise HTTPError(404, f"no workspace manifest for {session_id!r}") from None
        except (KeyError, ValueError) as exc:
            raise HTTPError(422, f"corrupt manifest: {exc}") from exc
        return Response.json(record.to_dict())

    async def export(self, request: Request) -> Response:
        """POST /sessions/{session_id}/export: zip the workspace next to it."""
        session_id = check_session_id(request.params["session_id"])
        workspace = self.workspace(session_id)
        base = self.workspaces / f"{session_id}-export"
        archive = await asyncio.to_thread(
            shutil.make_archive, str(base), "zip", root_dir=workspace
        )
        return Response.json({"archive": Path(archive).name}, status=201)

    # -- worker-thread helpers ------------------------------------------------------------

    def _provision(self, record: SessionRecord) -> None:
        """Workspace directory, manifest and database row (runs in a worker thread)."""
        workspace = self.workspace(record.id)
        workspace.mkdir(parents=True, exist_ok=False)
        self.manifest_path(record.id).write_text(
            json.dumps(record.to_dict(), indent=2, sort_keys=True), encoding="utf-8"
        )
        self.db.insert_session(record)
