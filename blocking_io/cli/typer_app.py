"""The `blocking-io` command line (typer). Sub-commands live in their own modules, imported
and built only when one runs (or `--help` lists them); the console script's entry is
`app.main`, which answers an unchanged re-run of `detect` before this module (typer,
pydantic, rich) is imported."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main

from .commands import common
from .help import Command, Group

# name -> (module of .commands, its command function, its epilog), in the order `--help`
# lists them; `anchor` is a typer app of its own (the module's `app`)
_SUBCOMMANDS: dict[str, tuple[str, str, str] | None] = {
    "detect": ("detect", "detect_command", "DETECT_EPILOG"),
    "baseline": ("detect", "baseline_command", "BASELINE_EPILOG"),
    "rules": ("rules", "rules_command", "EPILOG"),
    "gaps": ("gaps", "gaps_command", "EPILOG"),
    "teeth": ("teeth", "teeth_command", "EPILOG"),
    "init": ("init", "init_command", "EPILOG"),
    "anchor": None,
}


def _register(app: typer.Typer, name: str) -> None:
    """Import the sub-command `name`'s module and add the command to `app`."""
    spec = _SUBCOMMANDS[name]
    module = importlib.import_module(f"{__package__}.commands.{spec[0] if spec else name}")
    if spec is None:
        app.add_typer(module.app, name=name)
    else:
        command, epilog = getattr(module, spec[1]), getattr(module, spec[2])
        app.command(name, cls=Command, epilog=epilog)(command)


class _Commands(MutableMapping[str, Any]):
    """The root group's sub-commands (click commands by name), each built when first looked
    up: its module imported, its options made. A run of `detect` builds `detect` alone."""

    def __init__(self) -> None:
        self._commands: dict[str, Any] = dict.fromkeys(_SUBCOMMANDS)  # None: not built yet

    def __getitem__(self, name: str) -> Any:
        command = self._commands[name]
        if command is None:
            holder = typer.Typer()
            _register(holder, name)
            command = self._commands[name] = typer.main.get_group(holder).commands[name]
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._commands[name]

    def __contains__(self, name: object) -> bool:
        return name in self._commands  # without building it

    def __iter__(self) -> Iterator[str]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)


class _Root(Group):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names, without building the commands


app = typer.Typer(
    name="blocking-io",
    cls=_Root,
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
