"""Run a command as a child process and measure its wall time and peak memory.

Peak memory comes from `os.wait4` on that one child (ru_maxrss: the largest resident set of
the child or of any descendant it waited for), so runs of different tools in one bench do
not mix, unlike RUSAGE_CHILDREN which only ever grows.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kib: int
    error: str | None = None  # set when the command could not run or timed out


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float = 900.0,
    env: Mapping[str, str] | None = None,
) -> Outcome:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(command),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=dict(env) if env is not None else None,
            )
        except OSError as exc:
            return Outcome(-1, "", "", 0.0, 0, f"cannot run {command[0]}: {exc.strerror or exc}")
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            returncode, rss = _wait(proc)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    error = f"timed out after {timeout:.0f}s" if seconds >= timeout and returncode < 0 else None
    return Outcome(returncode, stdout, stderr, seconds, rss, error)


def _wait(proc: subprocess.Popen) -> tuple[int, int]:
    if not hasattr(os, "wait4"):  # pragma: no cover - Windows
        return proc.wait(), 0
    _pid, status, usage = os.wait4(proc.pid, 0)
    returncode = os.waitstatus_to_exitcode(status)
    proc.returncode = returncode  # reaped here; keep Popen from waiting again
    rss = usage.ru_maxrss
    if sys.platform == "darwin":  # pragma: no cover - bytes there, KiB on Linux
        rss //= 1024
    return returncode, rss


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
