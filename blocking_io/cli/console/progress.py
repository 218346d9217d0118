"""A progress bar on a terminal (stderr), silence otherwise (CI logs, pipes, tests)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from blocking_io.static_detector.progress import Progress


@contextmanager
def progress_reporter(min_total: int = 200) -> Iterator[Progress | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("[bold]blocking-io[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),  # where isatty() was checked; stdout carries the report
        redirect_stdout=False,
        redirect_stderr=False,
    )
    tasks: dict[str, TaskID] = {}

    def update(phase: str, done: int, total: int) -> None:
        if total < min_total:
            return
        if phase not in tasks:
            if not bar.live.is_started:
                bar.start()
            tasks[phase] = bar.add_task(f"{phase} files", total=total)
        bar.update(tasks[phase], completed=done)

    try:
        yield update
    finally:
        if bar.live.is_started:
            bar.stop()
