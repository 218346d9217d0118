"""Writing the user's own files (pyproject.toml, .gitignore, new tests): atomically, keeping
the mode of a file that exists, and with errors that name the path."""

from __future__ import annotations

import stat
from pathlib import Path

from blocking_io.shared_rules import InputError
from blocking_io.shared_rules.atomic import replace_file, umask_mode


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start})", path) from None


def write_text(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Replace (or create) `path` with `text`. A reader never sees half a file, and an
    existing file keeps its permissions (mkstemp would make it 0600). With `exclusive`, an
    existing file is an error (the caller checked, but a race must not clobber it)."""
    if exclusive:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except FileExistsError:
            raise InputError("already exists; not overwritten", path) from None
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = umask_mode()
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
    try:
        replace_file(path, text.encode("utf-8"), mode=mode, durable=False)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", path) from None
