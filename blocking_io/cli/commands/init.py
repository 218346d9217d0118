"""`blocking-io init`: set up an existing project in one command."""

from __future__ import annotations

from pathlib import Path

import typer

from blocking_io.shared_rules import InputError

from ..scaffold.style import Style
from . import common

EPILOG = (
    "Examples:\n\n"
    "  blocking-io init                          # in the project root\n\n"
    "  blocking-io init services/api             # another project directory\n\n"
    "  blocking-io init --package acme --source-root lib   # when the guess is wrong\n\n"
    "  blocking-io init --force                  # replace an existing \\[tool.blocking-io]\n\n"
    "Writes \\[tool.blocking-io] into pyproject.toml (created if absent; the rest of the file "
    "is kept as it is), creates the anchor folder (tests/blocking_io/) with a README and an "
    "example anchor, and adds the report directory to .gitignore. Files that exist are kept. "
    "Running it again changes nothing and says so (exit 0). Exit codes: 0 done or nothing to "
    "change, 2 --source-root/--package for an existing table without --force, or a "
    "usage/input error."
)


STYLE_OPTION = typer.Option(
    Style.auto,
    "--style",
    help="How the anchor runs its coroutine: @pytest.mark.asyncio, @pytest.mark.anyio or "
    "asyncio.run() (auto: what the project's tests and dependencies use).",
)


# typer reads parameters from defaults; module-level so they are built once (ruff B008)
DIRECTORY_ARGUMENT = typer.Argument(
    Path("."), help="The project root (default: the current directory).", show_default=False
)
FORCE_OPTION = typer.Option(
    False, "--force", help="Replace an existing \\[tool.blocking-io] table."
)
SOURCE_ROOT_OPTION = typer.Option(
    None,
    "--source-root",
    help="A source root, relative to the project (repeatable; default: detected: src/, the "
    "top level or sub-projects).",
    show_default=False,
)
PACKAGE_OPTION = typer.Option(
    None,
    "--package",
    help="A top-level package of the project's own code (repeatable; default: the packages "
    "found under the source roots).",
    show_default=False,
)


def init_command(
    directory: Path = DIRECTORY_ARGUMENT,
    force: bool = FORCE_OPTION,
    source_root: list[str] = SOURCE_ROOT_OPTION,
    package: list[str] = PACKAGE_OPTION,
    style: Style = STYLE_OPTION,
) -> None:
    """Set up blocking-io in an existing project.

    Detects the source roots and top-level packages (src layout, flat layout, several packages), writes a commented \\[tool.blocking-io] table into pyproject.toml, creates the anchor folder with a README and an example anchor, git-ignores the report directory and prints the next three commands. Running it again changes nothing.
    """
    root = directory.resolve()
    if not root.is_dir():
        raise common.fail(f"{directory}: not a directory")
    # imported here: scaffolding needs tomlkit and the source index, which the start-up of
    # every other command would pay for
    from .setup_project import init_project

    try:
        init_project(root, force, source_root or [], package or [], style)
    except InputError as exc:
        raise common.fail(str(exc)) from None
