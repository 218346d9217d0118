"""The `blocking-io` command line (typer). Sub-commands live in their own modules; the console
script's entry is `app.main`, which answers an unchanged re-run of `detect` before this
module (typer, pydantic, rich) is imported."""

from __future__ import annotations

import sys

import typer

from .commands import common
from .help import Command, Group

app = typer.Typer(
    name="blocking-io",
    cls=Group,
    help=(
        "Keep synchronous, blocking IO off the asyncio event loop.\n\n"
        "Static detector, runtime gate (pytest plugin) and the coverage gap between them. "
        "Configuration: \\[tool.blocking-io] in pyproject.toml.\n\n"
        "Exit codes: 0 clean (or below the threshold), 1 findings at or above the "
        "threshold, 2 usage, configuration or input error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register() -> None:
    from .commands import anchor, detect, gaps, init, rules, teeth

    app.command("detect", cls=Command, epilog=detect.DETECT_EPILOG)(detect.detect_command)
    app.command("baseline", cls=Command, epilog=detect.BASELINE_EPILOG)(detect.baseline_command)
    app.command("rules", cls=Command, epilog=rules.EPILOG)(rules.rules_command)
    app.command("gaps", cls=Command, epilog=gaps.EPILOG)(gaps.gaps_command)
    app.command("teeth", cls=Command, epilog=teeth.EPILOG)(teeth.teeth_command)
    app.command("init", cls=Command, epilog=init.EPILOG)(init.init_command)
    app.add_typer(anchor.app, name="anchor")


def _print_version(value: bool) -> None:
    """An eager option's own callback: it runs while the options are parsed, before click
    asks for a command (a group callback would run only after one was given)."""
    if value:
        from blocking_io import __version__

        typer.echo(f"blocking-io {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        help="Print the version and exit.",
        is_eager=True,
        callback=_print_version,
        expose_value=True,
    ),
) -> None:
    del version  # handled by its callback


_register()


def main() -> None:
    """The console script. A scan leaves millions of small objects behind; an orderly
    interpreter shutdown spends about a second freeing them one by one. The reports are
    written and closed by now, so flush what is printed and leave (as mypy does)."""
    try:
        common.run_app(app)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
    common.hard_exit(code)
