"""A small config file (API keys) that operators edit in place; re-read when it changes."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def parse_keys(text: str) -> frozenset[str]:
    """One key per line; blank lines and ``#`` comments are ignored."""
    keys = set()
    for line in text.splitlines():
        key = line.split("#", 1)[0].strip()
        if key:
            keys.add(key)
    return frozenset(keys)


class ConfigFile:
    """The API-keys file, cached in memory.

    ``load()`` reads it at start-up; ``refresh()`` re-reads it when its mtime or size
    changed (operators rotate keys without restarting the relay); ``current()`` is the
    in-memory value and never touches the disk.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._keys: frozenset[str] = frozenset()
        self._signature: tuple[int, int] | None = None

    def load(self) -> frozenset[str]:
        self._signature = None
        self.refresh()
        return self._keys

    def refresh(self) -> bool:
        """Re-read the file if it changed since the last read; True when it did."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            if self._keys:
                log.warning(
                    "API keys file %s disappeared; keeping %d keys", self.path, len(self._keys)
                )
            return False
        signature = (stat.st_mtime_ns, stat.st_size)
        if signature == self._signature:
            return False
        self._keys = parse_keys(self.path.read_text(encoding="utf-8"))
        self._signature = signature
        log.info("loaded %d API keys from %s", len(self._keys), self.path)
        return True

    def current(self) -> frozenset[str]:
        return self._keys
