"""Interpreters' answers to the sys.path probe, kept in the user cache.

Running the project's interpreter costs 25-45 ms per scan; its answer changes only when the
interpreter is replaced (an upgrade, a recreated venv), its `pyvenv.cfg` is edited, or a
folder of its sys.path changes (a `.pth` file added by an editable install or removed by an
uninstall changes site-packages' mtime). So the answer is stored with the stamps of those
files and folders and reused while every stamp is current.

An unreadable or corrupt entry is a miss; a cache that cannot be written is no error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from blocking_io.shared_rules.atomic import replace_file
from pydantic import BaseModel, ConfigDict, ValidationError

from .cache import FileStamp
from .user_cache import mark_used

FORMAT = "1"


class Stamp(BaseModel):
    """A file or folder as it was when the answer was stored; size -1: it did not exist."""

    model_config = ConfigDict(defer_build=True)  # built on first use: not with --no-cache

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> Stamp:
        found = FileStamp.of(Path(path))
        if found is None:
            return cls(path=path, size=-1, mtime_ns=0)
        return cls(path=path, size=found.size, mtime_ns=found.mtime_ns)

    def current(self) -> bool:
        return Stamp.of(self.path) == self


class Entry(BaseModel):
    model_config = ConfigDict(defer_build=True)

    answer: dict[str, object]  # the Probe, as environment.py validates it
    stamps: list[Stamp]


def watched(interpreter: Path, search_path: list[str]) -> list[str]:
    """What the answer depends on: the interpreter (as named, and the file its links reach),
    the venv's `pyvenv.cfg`, and every entry of its sys.path."""
    paths = [str(interpreter), os.path.realpath(interpreter)]
    paths.append(str(interpreter.parent.parent / "pyvenv.cfg"))
    paths.extend(p for p in search_path if p)
    return list(dict.fromkeys(paths))


class ProbeCache:
    """`<user cache>/interpreters/<hash of the interpreter's path>.json`."""

    def __init__(self, directory: Path, probe_text: str) -> None:
        self.dir = directory / "interpreters"
        self._probe_text = probe_text

    def _path(self, interpreter: Path) -> Path:
        key = "\x1f".join((FORMAT, os.path.abspath(interpreter), self._probe_text))
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return self.dir / f"{digest}.json"

    def get(self, interpreter: Path) -> dict[str, object] | None:
        path = self._path(interpreter)
        try:
            entry = Entry.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None
        if not all(stamp.current() for stamp in entry.stamps):
            return None
        mark_used(path)
        return entry.answer

    def put(self, interpreter: Path, answer: dict[str, object], search_path: list[str]) -> None:
        stamps = [Stamp.of(p) for p in watched(interpreter, search_path)]
        payload = Entry(answer=answer, stamps=stamps).model_dump_json().encode()
        with contextlib.suppress(OSError):
            replace_file(self._path(interpreter), payload, durable=False)
