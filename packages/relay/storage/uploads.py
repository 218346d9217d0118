"""Files uploaded into a session: ``<root>/<session_id>/<name>``.

Uploads are first written to ``<root>/<session_id>/.staging/`` while their digest is
computed, then moved into place with an atomic rename.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$")
STAGING = ".staging"


def sanitize_filename(raw: str) -> str:
    """The last path component of a client-supplied name, or ``ValueError``.

    Browsers send Windows paths (``C:\\Users\\me\\notes.txt``), so backslashes become
    separators before the last component is taken.
    """
    name: str = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not _NAME.match(name):
        raise ValueError(f"invalid file name {raw!r}")
    return name


@dataclass(frozen=True)
class StoredUpload:
    """An upload at rest. The async readers do their IO in a worker thread."""

    session_id: str
    name: str
    path: Path
    size: int

    async def read_bytes(self) -> bytes:
        return await asyncio.to_thread(self.path.read_bytes)

    async def read_text(self, encoding: str = "utf-8") -> str:
        return await asyncio.to_thread(self.path.read_text, encoding=encoding)


@dataclass(frozen=True)
class UploadEntry:
    name: str
    size: int
    modified: float


class UploadStore:
    """Blocking file operations for uploads; async callers run them in a thread."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def session_dir(self, session_id: str) -> Path:
        return self.root / session_id

    def staging_path(self, session_id: str, name: str) -> Path:
        """Where an upload is written before it is committed (no IO)."""
        return self.session_dir(session_id) / STAGING / f"{uuid.uuid4().hex}-{name}"

    def write_staged(self, staged: Path, body: bytes) -> str:
        """Write ``body`` to ``staged`` and return its SHA-256 hex digest."""
        staged.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(staged, "wb") as fh:
            for start in range(0, len(body), 1 << 20):
                chunk = body[start : start + (1 << 20)]
                digest.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        return digest.hexdigest()

    def commit(self, staged: Path, session_id: str, name: str) -> StoredUpload:
        """Move a staged upload into place (atomic on one file system)."""
        target = self.session_dir(session_id) / name
        os.replace(staged, target)
        return StoredUpload(session_id, name, target, target.stat().st_size)

    def get(self, session_id: str, name: str) -> StoredUpload | None:
        path = self.session_dir(session_id) / name
        if not path.is_file():
            return None
        return StoredUpload(session_id, name, path, path.stat().st_size)

    def list_uploads(self, session_id: str) -> list[UploadEntry]:
        entries: list[UploadEntry] = []
        try:
            with os.scandir(self.session_dir(session_id)) as it:
                for entry in it:
                    if entry.is_file() and not entry.name.startswith("."):
                        stat = entry.stat()
                        entries.append(UploadEntry(entry.name, stat.st_size, stat.st_mtime))
        except FileNotFoundError:
            return []
        return sorted(entries, key=lambda e: e.name)
