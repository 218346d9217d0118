"""Session records in SQLite.

One short-lived connection per operation: the methods are called from worker threads
(``asyncio.to_thread``), and sqlite3 connections must not be shared between threads
without extra locking. Opening a connection to a local file costs microseconds.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id          TEXT PRIMARY KEY,
    agent       TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active',
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_created ON sessions (created_at);
"""

_COLUMNS = "id, agent, title, status, created_at, updated_at"


@dataclass(frozen=True)
class SessionRecord:
    id: str
    agent: str
    title: str = ""
    status: str = "active"
    created_at: float = 0.0
    updated_at: float = 0.0

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> SessionRecord:
        return cls(*row)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agent": self.agent,
            "title": self.title,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


class SessionDB:
    """CRUD for ``sessions``. Every method does blocking database IO."""

    def __init__(self, path: Path, *, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout

    def migrate(self) -> None:
        """Create the schema; called once at start-up, before the event loop runs."""
        with self._transaction() as conn:
            conn.executescript(SCHEMA)

    def ping(self) -> bool:
        """A round trip to the database file (for health checks)."""
        return self._fetch_one("SELECT 1", ()) is not None

    def insert_session(self, record: SessionRecord) -> None:
        with self._transaction() as conn:
            conn.execute(
                f"INSERT INTO sessions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.agent,
                    record.title,
                    record.status,
                    record.created_at,
                    record.updated_at,
                ),
            )

    def restore_session(self, manifest: dict[str, Any]) -> SessionRecord:
        """Re-insert a session from the ``manifest.json`` kept in its workspace."""
        now = time.time()
        record = SessionRecord(
            id=str(manifest["id"]),
            agent=str(manifest["agent"]),
            title=str(manifest.get("title", "")),
            status="active",
            created_at=float(manifest.get("created_at", now)),
            updated_at=now,
        )
        with self._transaction() as conn:
            conn.execute(
                f"INSERT OR REPLACE INTO sessions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.agent,
                    record.title,
                    record.status,
                    record.created_at,
                    record.updated_at,
                ),
            )
        return record

    def get_session(self, session_id: str) -> SessionRecord | None:
        row = self._fetch_one(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        return SessionRecord.from_row(row) if row is not None else None

    def list_sessions(self, limit: int = 50, offset: int = 0) -> list[SessionRecord]:
        rows = self._fetch_all(
            f"SELECT {_COLUMNS} FROM sessions ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [SessionRecord.from_row(row) for row in rows]

    def delete_session(self, session_id: str) -> bool:
        with self._transaction() as conn:
            cursor = conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            return cursor.rowcount > 0

    # -- plumbing -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self.busy_timeout)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            try:
                yield conn
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _fetch_one(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        with closing(self._connect()) as conn:
            row: tuple[Any, ...] | None = conn.execute(sql, params).fetchone()
            return row

    def _fetch_all(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with closing(self._connect()) as conn:
            return conn.execute(sql, params).fetchall()
