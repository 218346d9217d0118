"""Installed libraries: which distribution a module file belongs to, and the user-level cache
of library summaries that every project on the machine shares.

A library module's summary depends only on its source, so it is keyed by the distribution's
name and version and the file's content (and the detector's own code, as every cache key):
an upgrade changes the key; two projects with the same library share the entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from .cache import Cache
from .user_cache import mark_used, user_cache_dir


class Distribution(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class LibraryCache:
    """Library summaries in the user's cache directory (`<user cache>/libraries/`)."""

    def __init__(self, directory: Path | None = None) -> None:
        self._cache = Cache((directory or user_cache_dir()) / "libraries")

    @staticmethod
    def key(
        dist: Distribution | None, module: str, label: str, is_package: bool, raw: bytes
    ) -> str:
        digest = hashlib.sha256(raw).hexdigest()
        name, version = (dist.name, dist.version) if dist else ("", "")
        return Cache.summary_key(module, label, is_package, f"{name}\x1f{version}\x1f{digest}")

    def get(self, key: str) -> Any | None:
        value = self._cache.get("library", key)
        path = self._cache.path_of("library", key)
        if value is not None and path is not None:
            mark_used(path)  # recently used: kept by the pruning (user_cache.py)
        return value

    def put(self, key: str, value: Any) -> None:
        self._cache.put("library", key, value)


@dataclass
class Distributions:
    """Which installed distribution a file belongs to, from the `*.dist-info` metadata of
    the search path's directories (read, never imported); looked up only for the files a
    scan follows calls into."""

    search_path: list[str]
    _tops: dict[str, dict[str, Distribution]] = field(default_factory=dict)

    def of(self, path: Path) -> Distribution | None:
        for entry in self.search_path:
            try:
                rel = path.relative_to(entry)
            except ValueError:
                continue
            if not rel.parts:
                continue
            top = rel.parts[0].removesuffix(".py")
            found = self._top_levels(entry).get(top)
            if found is not None:
                return found
        return None

    def _top_levels(self, entry: str) -> dict[str, Distribution]:
        tops = self._tops.get(entry)
        if tops is not None:
            return tops
        tops = {}
        for dist in metadata.distributions(path=[entry]):
            try:
                name = dist.metadata["Name"]
                version = dist.version
            except Exception:  # broken metadata: the file is still cached by its content
                continue
            if not name:
                continue
            found = Distribution(name, version or "")
            for top in _top_names(dist):
                tops.setdefault(top, found)
        self._tops[entry] = tops
        return tops


def _top_names(dist: metadata.Distribution) -> set[str]:
    """The import names a distribution installs: `top_level.txt`, else its RECORD's first
    path parts (wheels built by modern backends have no top_level.txt)."""
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    names: set[str] = set()
    for file in dist.files or ():
        first = file.parts[0] if file.parts else ""
        if first.endswith((".dist-info", ".data")) or first in ("..", "__pycache__"):
            continue
        names.add(first.removesuffix(".py"))
    return names
