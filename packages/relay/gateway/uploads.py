"""Session files: ``/sessions/{session_id}/uploads[/{name}]``."""

from __future__ import annotations

import asyncio
import functools
import hmac
import mimetypes

from ..framework import HTTPError, Request, Response
from ..storage.uploads import StoredUpload, UploadStore, sanitize_filename
from .sessions import check_session_id

# Load the system MIME tables now, at import, so that guess_type() on the request path is a
# dict lookup instead of reading /etc/mime.types on the first download.
mimetypes.init()


class UploadHandler:
    def __init__(self, store: UploadStore, *, max_bytes: int) -> None:
        self.store = store
        self.max_bytes = max_bytes

    async def put(self, request: Request) -> Response:
        """PUT /sessions/{session_id}/uploads/{name}; optional ``x-content-sha256`` header."""
        session_id = check_session_id(request.params["session_id"])
        try:
            filename = sanitize_filename(request.params["name"])
        except ValueError as exc:
            raise HTTPError(422, str(exc)) from None
        if len(request.body) > self.max_bytes:
            raise HTTPError(413, f"uploads are limited to {self.max_bytes} bytes")

        loop = asyncio.get_running_loop()
        staged = self.store.staging_path(session_id, filename)
        digest = await loop.run_in_executor(
            None, functools.partial(self.store.write_staged, staged, request.body)
        )
        expected = (request.header("x-content-sha256") or "").strip().lower()
        if expected and not hmac.compare_digest(expected, digest):
            staged.unlink(missing_ok=True)
            raise HTTPError(422, "checksum mismatch: upload discarded")

        upload = await loop.run_in_executor(None, self.store.commit, staged, session_id, filename)
        return Response.json(
            {"name": upload.name, "size": upload.size, "sha256": digest}, status=201
        )

    async def download(self, request: Request) -> Response:
        """GET /sessions/{session_id}/uploads/{name}"""
        session_id = check_session_id(request.params["session_id"])
        name = request.params["name"]
        upload: StoredUpload | None = await asyncio.to_thread(self.store.get, session_id, name)
        if upload is None:
            raise HTTPError(404, f"no upload {name!r}")
        content_type, _encoding = mimetypes.guess_type(upload.name)
        body = await upload.read_bytes()
        quoted: str = upload.name.replace('"', "")
        return Response(
            200,
            body,
            {
                "content-type": content_type or "application/octet-stream",
                "content-disposition": f'attachment; filename="{quoted}"',
            },
        )

    async def index(self, request: Request) -> Response:
        """GET /sessions/{session_id}/uploads"""
        session_id = check_session_id(request.params["session_id"])
        entries = await asyncio.to_thread(self.store.list_uploads, session_id)
        items = []
        for entry in entries:
            # guess_type() reads files only on its first call; the tables were loaded at import.
            mime = mimetypes.guess_type(entry.name)[0]  # blocking-io: ignore[BIO116] init at import
            items.append(
                {
                    "name": entry.name,
                    "size": entry.size,
                    "modified": entry.modified,
                    "content_type": mime or "application/octet-stream",
                }
            )
        return Response.json({"uploads": items})
