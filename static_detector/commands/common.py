"""What every sub-command shares: config loading, error reporting, exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from shared_rules import InputError, ProjectConfig, load_config

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

CONFIG_OPTION: Any = typer.Option(
    None,
    "--config",
    help="pyproject.toml with a [tool.blocking-io] table (default: the nearest one, walking up).",
    dir_okay=True,
    show_default=False,
)


def console(file=None):  # type: ignore[no-untyped-def]
    """A rich console; wide when not a terminal so tables in CI logs and files stay readable."""
    from rich.console import Console

    target = file or sys.stdout
    wide = None if getattr(target, "isatty", lambda: False)() else 160
    return Console(file=file, width=wide)


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


def run_app(app: typer.Typer) -> None:
    """Run the typer app; an InputError anywhere is one line and exit 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except InputError as exc:
        typer.echo(f"blocking-io: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        typer.echo("blocking-io: interrupted", err=True)
        sys.exit(130)
