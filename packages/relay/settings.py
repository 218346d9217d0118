"""Relay settings: one data directory plus a few optional features."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Where the relay keeps its state, and which optional features are on.

    Layout under ``data_dir``::

        relay.db          sessions (SQLite)
        events/           <session_id>.jsonl
        workspaces/       <session_id>/manifest.json, agent scratch files
        uploads/          <session_id>/<name>
        dead-letters/     undelivered webhook payloads
    """

    data_dir: Path
    skills_dir: Path
    tools_manifest: Path | None = None
    api_keys_file: Path | None = None
    access_log: Path | None = None
    webhook_url: str = ""
    webhook_secret: str = ""
    max_upload_bytes: int = 16 * 1024 * 1024
    housekeeping_interval: float = 30.0

    @property
    def db_path(self) -> Path:
        return self.data_dir / "relay.db"

    @property
    def events_dir(self) -> Path:
        return self.data_dir / "events"

    @property
    def workspaces_dir(self) -> Path:
        return self.data_dir / "workspaces"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def dead_letters_dir(self) -> Path:
        return self.data_dir / "dead-letters"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """``RELAY_*`` environment variables (the container deployment)."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("RELAY_DATA_DIR", "./relay-data"))

        def optional_path(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value) if value else None

        return cls(
            data_dir=data_dir,
            skills_dir=Path(env.get("RELAY_SKILLS_DIR", str(data_dir / "skills"))),
            tools_manifest=optional_path("RELAY_TOOLS_MANIFEST"),
            api_keys_file=optional_path("RELAY_API_KEYS_FILE"),
            access_log=optional_path("RELAY_ACCESS_LOG"),
            webhook_url=env.get("RELAY_WEBHOOK_URL", ""),
            webhook_secret=env.get("RELAY_WEBHOOK_SECRET", ""),
            max_upload_bytes=int(env.get("RELAY_MAX_UPLOAD_BYTES", 16 * 1024 * 1024)),
            housekeeping_interval=float(env.get("RELAY_HOUSEKEEPING_INTERVAL", 30.0)),
        )
