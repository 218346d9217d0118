"""Append-only JSONL event log, one file per session."""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Event:
    """One event. ``seq`` is the event's line number in the log, known once it is read back."""

    id: str
    session_id: str
    type: str
    data: dict[str, Any]
    ts: float
    seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "session_id": self.session_id,
            "type": self.type,
            "data": self.data,
            "ts": self.ts,
        }
        if self.seq is not None:
            record["seq"] = self.seq
        return record


class EventStore:
    """``<root>/<session_id>.jsonl``, one JSON object per line.

    Appends are single ``write`` calls on a file opened in append mode, so concurrent
    writers (threads, processes) never interleave within a line. Sequence numbers are line
    numbers (1-based), assigned when reading. Every method here does file IO: async callers
    must run them in a worker thread.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, session_id: str) -> Path:
        if not _SESSION_ID.match(session_id):
            raise ValueError(f"invalid session id {session_id!r}")
        return self.root / f"{session_id}.jsonl"

    def append(self, session_id: str, event_type: str, data: dict[str, Any] | None = None) -> Event:
        """Append one event and return it (without ``seq``: that is known on read)."""
        path = self.path_for(session_id)
        event = Event(
            id=uuid.uuid4().hex,
            session_id=session_id,
            type=event_type,
            data=dict(data or {}),
            ts=round(time.time(), 6),
        )
        self._write_line(path, json.dumps(event.to_dict(), separators=(",", ":")) + "\n")
        return event

    def read_since(self, session_id: str, after: int = 0, limit: int = 100) -> list[Event]:
        """Events with ``seq > after``, oldest first, at most ``limit``."""
        path = self.path_for(session_id)
        events: list[Event] = []
        try:
            with open(path, encoding="utf-8") as fh:
                for seq, line in enumerate(fh, start=1):
                    if seq <= after or not line.strip():
                        continue
                    raw = json.loads(line)
                    events.append(
                        Event(
                            id=raw["id"],
                            session_id=session_id,
                            type=raw["type"],
                            data=raw.get("data", {}),
                            ts=raw["ts"],
                            seq=seq,
                        )
                    )
                    if len(events) >= limit:
                        break
        except FileNotFoundError:
            return []
        return events

    def _write_line(self, path: Path, line: str) -> None:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line)
