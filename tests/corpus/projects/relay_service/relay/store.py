# feature: module-singleton
"""A module-level store instance imported by the handlers."""

import json
import sqlite3
from pathlib import Path

from .settings import SETTINGS


class DeliveryStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: sqlite3.Connection | None = None

    def connect(self) -> sqlite3.Connection:
        if self.conn is None:
            self.conn = sqlite3.connect(self.path)  # ok: reported at the async call sites
        return self.conn

    def record(self, hook_id: str, status: int) -> None:
        self.connect().execute("INSERT INTO deliveries VALUES (?, ?)", (hook_id, status))  # ok: reported at the async call sites

    def spool(self, hook_id: str, body: dict) -> Path:
        target = SETTINGS.spool_dir / f"{hook_id}.json"
        target.write_text(json.dumps(body))  # ok: reported at the async call sites
        return target


STORE = DeliveryStore(SETTINGS.data_dir / "deliveries.db")  # ok: module-level code runs at import
