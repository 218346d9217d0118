"""The user-level cache that every project on the machine shares: library summaries
(`libraries/`, libraries.py) and interpreters' sys.path answers (`interpreters/`,
probe_cache.py), and its pruning.

Entries are keyed by content (a library's version and file hash), so an upgrade leaves the
old version's entries behind, never to be read again. A hit refreshes an entry's mtime (at
most once a day: no write per read), and at most once a day a scan removes the entries not
used for `KEEP_DAYS` days, then the least recently used ones until the cache is under
`MAX_MB`.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

CACHE_ENV = "BLOCKING_IO_CACHE_DIR"  # overrides the user cache directory (tests, CI caches)
KEEP_DAYS = 30
MAX_MB = 512
DAY = 24 * 3600
PRUNED = "last-pruned"  # a marker whose mtime is the last pruning
KINDS = ("libraries", "interpreters")  # not the pre-commit hook's per-project folders


def user_cache_dir() -> Path:
    """`~/.cache/blocking-io` on Linux (platformdirs), or $BLOCKING_IO_CACHE_DIR."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir as platform_cache

    return Path(platform_cache("blocking-io", appauthor=False))


def mark_used(path: Path, now: float | None = None) -> None:
    """An entry was read: make it recent, unless it already is (within a day)."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):
        if path.stat().st_mtime < now - DAY:
            os.utime(path, (now, now))


def prune(
    directory: Path | None = None,
    *,
    now: float | None = None,
    keep_days: float = KEEP_DAYS,
    max_bytes: int = MAX_MB * 1024 * 1024,
    force: bool = False,
) -> int:
    """Remove entries unused for `keep_days`, then the least recently used until the rest
    fits in `max_bytes`; not again within a day unless `force`. Returns how many went."""
    directory = user_cache_dir() if directory is None else directory
    now = time.time() if now is None else now
    marker = directory / PRUNED
    try:
        if not force and marker.stat().st_mtime > now - DAY:
            return 0
    except OSError:
        pass  # never pruned
    entries: list[tuple[float, int, Path]] = []
    for kind in KINDS:
        for path in (directory / kind).rglob("*"):
            if path.suffix not in (".pickle", ".json"):
                continue
            with contextlib.suppress(OSError):
                st = path.stat()
                entries.append((st.st_mtime, st.st_size, path))
    entries.sort(reverse=True)  # most recently used first
    removed, total, full = 0, 0, False
    for mtime, size, path in entries:
        full = full or total + size > max_bytes
        if full or mtime < now - keep_days * DAY:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
            continue
        total += size
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        marker.touch()
        os.utime(marker, (now, now))
    return removed
