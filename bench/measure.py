"""Run a command as a child process and measure its wall time and peak memory.

Peak memory comes from `os.wait4` on that one child (ru_maxrss: the largest resident set of
the child or of any descendant it waited for), so runs of different tools in one bench do
not mix, unlike RUSAGE_CHILDREN which only ever grows. That is the largest *single*
process; the memory of a run with worker processes is their *sum*, which no rusage gives:
`_TreeSampler` adds up the resident sets of the command's whole process tree every few
milliseconds (Linux /proc) and keeps the largest sum, never less than the largest process.

A child forked from a large process inherits that process's high-water mark: Linux keeps
the larger of the two across exec. So the command is started by a small launcher (a fresh
`python -S`), which forks the command itself and reports the command's own peak.
"""

from __future__ import annotations

import contextlib
import os
import signal
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
    sum_rss_kib: int = 0  # the largest sum over the process tree at one time


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float = 900.0,
    env: Mapping[str, str] | None = None,
) -> Outcome:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        read_end, write_end = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-S", "-c", _LAUNCHER, str(write_end), *command],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=dict(env) if env is not None else None,
                pass_fds=(write_end,),
                start_new_session=True,  # a timeout kills the launcher and the command
            )
        except OSError as exc:
            os.close(read_end)
            os.close(write_end)
            return Outcome(-1, "", "", 0.0, 0, f"cannot run {command[0]}: {exc.strerror or exc}")
        os.close(write_end)
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        try:
            returncode, launcher_rss = _wait(proc)
        finally:
            timer.cancel()
            sampler.stop()
        with os.fdopen(read_end, "rb") as report:
            reported = report.read().decode().strip()
        rss = int(reported) if reported.isdigit() else launcher_rss
        if reported.startswith("error:"):
            return Outcome(-1, "", "", 0.0, 0, f"cannot run {command[0]}: {reported[6:]}")
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    error = f"timed out after {timeout:.0f}s" if seconds >= timeout and returncode < 0 else None
    return Outcome(returncode, stdout, stderr, seconds, rss, error, max(sampler.peak_kib, rss))


class _TreeSampler(threading.Thread):
    """The largest summed resident set of the descendants of `pid` (the launcher, which is
    not counted), sampled every `interval` seconds from /proc (nothing elsewhere: the sum
    is then the largest process, from wait4)."""

    def __init__(self, pid: int, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._done = threading.Event()
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4

    def run(self) -> None:
        if not os.path.exists(f"/proc/{self.pid}/task/{self.pid}/children"):
            return
        while not self._done.is_set():
            total = sum(self._rss_kib(p) for p in self._descendants())
            self.peak_kib = max(self.peak_kib, total)
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join(5)

    def _descendants(self) -> list[int]:
        found: list[int] = []
        todo = [self.pid]
        while todo:
            pid = todo.pop()
            children: list[int] = []
            try:  # per thread: a child forked by any thread of the process
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        children += [int(c) for c in fh.read().split()]
            except (OSError, ValueError):
                pass
            found += children
            todo += children
        return found

    def _rss_kib(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                return int(fh.read().split()[1]) * self._page_kib
        except (OSError, ValueError, IndexError):
            return 0


# argv: [write_fd, command...]; runs the command as its own child, exits with its status,
# and writes the command's peak RSS (KiB) to write_fd.
_LAUNCHER = """
import os, sys
fd, argv = int(sys.argv[1]), sys.argv[2:]
try:
    pid = os.fork()
except OSError as exc:
    os.write(fd, ("error:" + str(exc)).encode()); sys.exit(127)
if pid == 0:
    try:
        os.close(fd)
        os.execvp(argv[0], argv)
    except OSError as exc:
        sys.stderr.write(str(exc) + chr(10)); os._exit(127)
_, status, usage = os.wait4(pid, 0)
rss = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
os.write(fd, str(rss).encode())
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


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
