"""Errors the user can act on: one line, naming the path; the CLI turns them into exit code 2."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad configuration, bad report file, unusable path. `str()` is the one-line message."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)
