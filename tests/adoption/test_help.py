"""`--help` of every registered command shows examples: a new command without an epilog
fails here, not in a user's terminal."""

from __future__ import annotations

import pytest
import typer.main
from adoption_support import REPO, cli

from blocking_io.cli.app import app


def command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command group of the `blocking-io` app, as argv prefixes."""
    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(group, prefix: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        for name, command in sorted(group.commands.items()):
            path = (*prefix, name)
            found.append(path)
            if hasattr(command, "commands"):
                walk(command, path)

    walk(root, ())
    return found


COMMANDS = command_paths()


def test_the_commands_of_the_user_guide_are_registered():
    assert {("init",), ("anchor",), ("anchor", "new"), ("detect",), ("gaps",), ("rules",)} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_help_shows_an_example(path):
    done = cli(*path, "--help", cwd=REPO)

    assert done.returncode == 0, done.stderr
    assert "Usage: blocking-io " + " ".join(path) in " ".join(done.stdout.split())
    assert "Example" in done.stdout, f"`blocking-io {' '.join(path)} --help` shows no example"
    # an example is a command line of this command, not prose
    assert f"blocking-io {' '.join(path)}" in done.stdout.split("Example", 1)[1]
