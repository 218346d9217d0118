"""What every sub-command shares: config loading, error reporting, exit codes."""

from __future__ import annotations

import os
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer

from blocking_io.shared_rules import InputError, ProjectConfig, load_config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

CONFIG_OPTION: Any = typer.Option(
    None,
    "--config",
    # `\\[`: rich would take `[tool.blocking-io]` for markup and print nothing
    help="pyproject.toml with a \\[tool.blocking-io] table (default: the nearest one, walking up).",
    dir_okay=True,
    show_default=False,
)


def console(file: Any = None, color: bool | None = None) -> Any:
    """A rich console: `COLUMNS` wide if set, else the terminal's width, else 160 (a pipe, a
    file, a CI log); colored per `color` (None: a terminal, NO_COLOR and FORCE_COLOR)."""
    from rich.console import Console

    from ..console.style import terminal_width, use_color

    target = file or sys.stdout
    colored = use_color(target) if color is None else color
    return Console(
        file=file,
        width=terminal_width(target),
        force_terminal=colored,
        no_color=not colored,
        color_system="standard" if colored else None,
    )


class ColorChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


COLOR_HELP = (
    "Color the output: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
    "always, never."
)
COLOR_OPTION: Any = typer.Option(ColorChoice.auto, "--color", help=COLOR_HELP)


def want_color(choice: ColorChoice, output: Path | None = None) -> bool:
    """Whether to color: `--color always|never` beats everything; auto is off for a file."""
    if choice is ColorChoice.always:
        return True
    if choice is ColorChoice.never or output is not None:
        return False
    from ..console.style import use_color

    return use_color()


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit for a usage/config/input error."""
    typer.echo(f"blocking-io: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def warn(message: str) -> None:
    typer.echo(f"blocking-io: warning: {message}", err=True)


def project(config: Path | None) -> ProjectConfig:
    try:
        return load_config(config)
    except InputError as exc:
        raise fail(str(exc)) from None


_INTERRUPTS = (signal.SIGINT, signal.SIGTERM)
_received: list[int] = []  # the signals that interrupted this run, first first


def _interrupted(signum: int, frame: Any) -> None:
    """SIGTERM (a CI cancel, `timeout`, `docker stop`) unwinds like Ctrl-C: worker processes
    are stopped and no report is half-written, instead of dying on the spot with the
    workers left running."""
    _received.append(signum)
    raise KeyboardInterrupt


def run_app(app: typer.Typer) -> None:
    """Run the typer app; an InputError anywhere is one line and exit 2, never a traceback.

    SIGINT and SIGTERM are one line, "interrupted", and exit 128 + the signal number (130,
    143), as a shell reports them."""
    _received.clear()
    previous: dict[int, Any] = {}
    try:
        for interrupt in _INTERRUPTS:
            previous[interrupt] = signal.signal(interrupt, _interrupted)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        app(standalone_mode=True)
    except InputError as exc:
        typer.echo(f"blocking-io: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:  # typer turns it into exit 130 itself; this is a fallback
        _received.append(signal.SIGINT)
    except SystemExit:
        if not _received:
            raise
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if _received:
        first = signal.Signals(_received[0])
        typer.echo(f"blocking-io: interrupted ({first.name})", err=True)
        sys.exit(128 + first.value)


def hard_exit(code: int) -> NoReturn:
    """Flush stdout and stderr, then end the process without tearing the heap down."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # `| head` closed the pipe; a closed stream
            code = code or 1
    os._exit(code)
