"""Progress on a terminal (stderr) for any step that runs longer than about two seconds;
silence otherwise (CI logs, pipes, tests, quick steps).

    with progress_reporter("checking offloads") as progress:
        work(progress=progress)      # progress is None when stderr is not a terminal

`progress(phase, done, total)` reports counted work (a scan's files); `progress.advance()`
counts one more item of unknown total (the teeth check's sites). Nothing is drawn until the
step has run for `delay` seconds: a timer starts the display, which rich refreshes from its
own thread; it is erased when the step ends (the report follows on stdout).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 2.0  # seconds: a quicker step shows nothing


def _delay() -> float:
    """DELAY, or BLOCKING_IO_PROGRESS_DELAY (seconds; tests set 0 to see the display)."""
    try:
        return max(0.0, float(os.environ.get("BLOCKING_IO_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


class Reporter:
    def __init__(self, description: str, delay: float) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            SpinnerColumn(),
            TextColumn("[bold]blocking-io[/] {task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            transient=True,
            console=Console(stderr=True),  # where isatty() was checked; stdout has the report
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._description = description
        self._task = self._bar.add_task(description, total=None, count="")
        self._lock = threading.Lock()
        self._closed = False
        self._done = 0
        self._timer = threading.Timer(delay, self._start)
        self._timer.daemon = True
        self._timer.start()

    def _start(self) -> None:
        with self._lock:
            if not self._closed:
                self._bar.start()

    def __call__(self, phase: str, done: int, total: int) -> None:
        """Counted work: `done` of `total` in `phase` (a scan's "parse")."""
        if done >= total:  # the rest of the step has no count: the whole-program analysis
            self._bar.update(self._task, description=self._description, total=None, count="")
            return
        self._bar.update(
            self._task,
            description=f"{self._description}: {phase}",
            total=total,
            completed=done,
            count=f"{done}/{total}",
        )

    def advance(self, what: str = "") -> None:
        """One more item done, of a total not known here."""
        self._done += 1
        self._bar.update(self._task, count=f"{self._done} done" + (f" ({what})" if what else ""))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._timer.cancel()
            if self._bar.live.is_started:
                self._bar.stop()


@contextmanager
def progress_reporter(description: str = "scanning", delay: float | None = None) -> Iterator[Any]:
    if not sys.stderr.isatty():
        yield None
        return
    reporter = Reporter(description, _delay() if delay is None else delay)
    try:
        yield reporter
    finally:
        reporter.close()
