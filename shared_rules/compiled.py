"""What later processes need not work out again, kept beside the install like bytecode:
the validated registry (`registry.builtin_registry`), the call shapes of standard-library
targets (`static_detector/signatures.py`).

An entry is named by a digest of everything it is derived from (the data, the code that
reads it, the interpreter), so a stale one is never read, only left behind. It is written
only where Python would write bytecode (not under PYTHONDONTWRITEBYTECODE), and neither a
missing, corrupt nor unwritable entry is ever an error: the caller works it out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from .atomic import replace_file


def compiled_path(directory: Path, name: str, suffix: str, key: Iterable[bytes]) -> Path:
    """`directory/__pycache__/name.<digest of key and this interpreter>.suffix`."""
    digest = hashlib.sha256(f"{sys.version} {sys.implementation.cache_tag}".encode())
    for part in key:
        digest.update(part)
    return directory / "__pycache__" / f"{name}.{digest.hexdigest()[:20]}.{suffix}"


def read_compiled(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_compiled(path: Path, payload: bytes) -> None:
    if sys.dont_write_bytecode:
        return
    with contextlib.suppress(OSError):  # a read-only install: no cache, as for .pyc
        replace_file(path, payload, prefix=f".{path.name.partition('.')[0]}-", durable=False)
