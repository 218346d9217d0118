"""Atomic file writes: a reader sees the old file or the whole new one, never half of one,
and an interrupt leaves no temp file behind."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (then arrive as usual).

    For steps that must not be cut in two: between `mkstemp` and the `try` that removes the
    temp file, or half-way through forking a worker (where Python drops a KeyboardInterrupt
    raised in an at-fork hook). Only the main thread receives Python signals, so elsewhere
    there is nothing to hold."""
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_interrupts() -> None:
    """Undo `interrupts_held` in a process forked inside it (a worker starts with the
    parent's signal mask)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)


def umask_mode() -> int:
    """The mode `open()` would give a new file (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def replace_file(
    path: Path,
    payload: bytes,
    *,
    mode: int | None = None,
    prefix: str | None = None,
    suffix: str = ".tmp",
    durable: bool = True,
) -> None:
    """Replace `path` with `payload` through a temp file in the same directory.

    Raises OSError; whatever happens, the previous file is untouched unless the new one is
    whole, and the temp file is gone. `mode` defaults to what `open()` would give;
    `durable` fsyncs before the rename (reports: yes; cache entries: not worth it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with interrupts_held():
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}." if prefix is None else prefix, suffix=suffix, dir=path.parent
        )
        try:
            os.fchmod(fd, umask_mode() if mode is None else mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a report: `replace_file`, with failures (read-only directory, disk full) as an
    InputError that names the path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        replace_file(Path(path), payload)
    except OSError as exc:
        raise InputError(f"cannot write report: {exc.strerror or exc}", path) from None
