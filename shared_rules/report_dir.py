"""The report directory (`.blocking-io/`) ignores itself, as ruff's, pytest's and mypy's caches
do: a `.gitignore` of `*` (git, and tools that read .gitignore, skip it whatever the
project's own .gitignore says) and a `CACHEDIR.TAG` (backup tools skip it).

Only a directory that blocking-io creates, or that holds nothing but what blocking-io writes
there, is marked: a `report-dir` pointed at a folder with the project's own files (or the
project root) is left as it is.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

GITIGNORE = "# Created by blocking-io: its reports and cache are not for version control.\n*\n"
# https://bford.info/cachedir/: the first line is the standard's signature
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by blocking-io.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
MARKERS = {".gitignore": GITIGNORE, "CACHEDIR.TAG": CACHEDIR_TAG}
# what blocking-io writes into its report directory (reports, their temp files, the cache)
OURS = frozenset({"findings.json", "anchors.json", "gaps.json", "teeth.json", "cache", *MARKERS})


def _only_ours(directory: Path) -> bool:
    try:
        names = os.listdir(directory)
    except OSError:
        return False
    return all(name in OURS or (name.startswith(".") and name.endswith(".tmp")) for name in names)


def mark_report_dir(directory: Path) -> None:
    """Create `directory` if needed and add the two markers when it is blocking-io's own.

    Never raises: a directory that cannot be written is reported by the write that follows
    (the report's one-line error), not here."""
    directory = Path(directory)
    created = not directory.exists()
    if created:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
    if (directory / ".gitignore").is_file() and (directory / "CACHEDIR.TAG").is_file():
        return
    if not created and not _only_ours(directory):
        return
    for name, text in MARKERS.items():
        with contextlib.suppress(OSError), open(directory / name, "x", encoding="utf-8") as fh:
            fh.write(text)
