"""Atomic file writes: a reader sees the old file or the whole new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` via a temp file in the same directory and `os.replace`.

    On any failure (read-only directory, disk full, interrupt) the previous file is left
    untouched and the temp file removed; the error names the path.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write report: {exc.strerror or exc}", path) from None
    try:
        # mkstemp creates 0600; a report is an ordinary file: honour the umask like open()
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write report: {exc.strerror or exc}", path) from None
        raise
