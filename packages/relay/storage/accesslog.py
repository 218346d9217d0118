"""Access log: one JSON line per request, appended with ``O_APPEND``.

Several relay processes behind one load balancer may share the file; ``O_APPEND`` writes
of less than ``PIPE_BUF`` bytes are atomic, so lines never interleave.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_MAX_LINE = 4096


class AccessLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, separators=(",", ":"), sort_keys=True)
        self._append((line[: _MAX_LINE - 1] + "\n").encode())

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _append(self, data: bytes) -> None:
        os.write(self._fd, data)
