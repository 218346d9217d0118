"""`--help` of every registered command shows examples: a new command without an epilog
fails here, not in a user's terminal."""

from __future__ import annotations

import re
import subprocess

import pytest
import typer.main
from adoption_support import BIN, REPO, clean_env, cli

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


def test_version_prints_the_version_and_exits_0():
    from blocking_io import __version__

    for flag in ("--version", "-V"):
        done = cli(flag, cwd=REPO)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == f"blocking-io {__version__}\n"
        assert done.stderr == ""


def _choices(path: tuple[str, ...]) -> list[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    out = []
    for param in command.params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and descriptor.is_choice:
            out += [str(getattr(c, "value", c)) for c in descriptor.choices]
    return out


@pytest.mark.parametrize("columns", ["80", "100", "160"])
@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_help_shows_flags_without_a_type_and_choices_whole(path, columns):
    done = subprocess.run(
        [str(BIN / "blocking-io"), *path, "--help"],
        cwd=REPO, capture_output=True, text=True, check=False, env=clean_env(COLUMNS=columns),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    assert "<bool>" not in done.stdout  # a flag takes no value
    text = " ".join(done.stdout.replace("\u2502", " ").split())  # without the box's sides
    for choice in _choices(path):
        # each possible value on one line, never folded in the middle (`git hub`)
        assert any(re.search(rf"(?<![\w-]){re.escape(choice)}(?![\w-])", ln) for ln in lines), (
            choice,
            done.stdout,
        )
    if _choices(path):
        assert "possible values:" in text


def test_the_root_help_lists_version_as_a_flag():
    done = cli("--help", cwd=REPO)
    assert done.returncode == 0
    version = next(line for line in done.stdout.splitlines() if "--version" in line)
    assert "Print the version and exit." in version
    assert "<" not in version
