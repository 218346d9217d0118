"""Webhook payloads that could not be delivered, kept as JSON files for a later replay."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class DeadLetterBox:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, name: str) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        return self.root / f"{stamp}-{_UNSAFE.sub('_', name)}.json"

    def push(self, name: str, payload: dict[str, Any], error: str) -> Path:
        """Store one undelivered payload with the error that stopped it."""
        target = self.path_for(name)
        document = {"payload": payload, "error": error, "failed_at": time.time()}
        target.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
        return target

    def pending(self) -> list[Path]:
        return sorted(self.root.glob("*.json"))
