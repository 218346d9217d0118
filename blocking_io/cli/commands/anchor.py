"""`blocking-io anchor new`: a runtime anchor skeleton for one entry point."""

from __future__ import annotations

from pathlib import Path

import typer

from blocking_io.shared_rules import InputError

from ..help import Command, Group
from ..scaffold.style import Style, resolve_style
from . import common
from .init import STYLE_OPTION

EPILOG = (
    "Examples:\n\n"
    "  blocking-io anchor new myapp.api.handlers.get_user\n\n"
    "  blocking-io anchor new myapp.storage.Store.save   # a method\n\n"
    "  blocking-io gaps     # suggests the entry points to anchor next"
)

NEW_EPILOG = (
    "Examples:\n\n"
    "  blocking-io anchor new myapp.api.handlers.get_user\n\n"
    "  blocking-io anchor new myapp.storage.Store.save   # builds the instance too\n\n"
    "  blocking-io anchor new myapp.api.users.get -o tests/blocking_io/test_users.py\n\n"
    "  blocking-io anchor new myapp.api.handlers.get_user --style asyncio-run\n\n"
    "Writes <first anchor-paths folder>/test_<module>_<function>.py. Values that must be "
    'chosen are `todo("...")` calls, which skip the test with that reason until filled '
    "in. The project is not imported: the function is found in the scanned sources. Exit "
    "codes: 0 written, 2 unknown entry point (with suggestions), file exists, or a "
    "usage/config error."
)

app = typer.Typer(
    name="anchor",
    cls=Group,
    help="Runtime anchors: tests that drive an async entry point under the runtime gate.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# typer reads parameters from defaults; module-level so they are built once (ruff B008)
ENTRYPOINT_ARGUMENT = typer.Argument(
    ...,
    help="Qualified name: package.module.function or package.module.Class.method.",
    show_default=False,
)
OUTPUT_OPTION = typer.Option(
    None,
    "--output",
    "-o",
    help="Write the anchor here instead of <anchor folder>/test_<module>_<function>.py.",
    show_default=False,
)
OVERWRITE_OPTION = typer.Option(False, "--force", help="Overwrite the file if it exists.")


def new_command(
    entrypoint: str = ENTRYPOINT_ARGUMENT,
    output: Path = OUTPUT_OPTION,
    force: bool = OVERWRITE_OPTION,
    style: Style = STYLE_OPTION,
    config: Path = common.CONFIG_OPTION,
) -> None:
    """Write a runnable anchor skeleton for an async entry point.

    Also for a sync callback or hook that the loop runs (the gap report suggests those too). The skeleton imports the entry point, builds its arguments (and, for a method, the instance) from the signature, uses tmp_path for path-like parameters and calls it on the event loop. It contains no gate code: tests in the anchor folders are gated by the pytest plugin.
    """
    # imported here, not at start-up: only this command needs the source index
    from ..scaffold import anchor_source, files
    from ..scaffold.entrypoints import Index

    project = common.project(config)
    try:
        function = Index(project).find(entrypoint)
    except InputError as exc:
        raise common.fail(str(exc)) from None
    folder = project.root / project.settings.anchor_paths[0]
    target = output if output is not None else folder / anchor_source.file_name(function)
    target = target if target.is_absolute() else Path.cwd() / target
    shown = project.relpath(target)
    if target.exists() and not force:
        raise common.fail(
            f"{shown}: already exists; not overwritten (--output PATH writes elsewhere, "
            "--force replaces it)"
        )
    chosen, why = resolve_style(style, project.root, [folder])
    command = f"blocking-io anchor new {function.qualname}"
    source = anchor_source.render(function, chosen, list(project.settings.scanned_modules), command)
    try:
        files.write_text(target, source, exclusive=not force)
    except InputError as exc:
        raise common.fail(str(exc)) from None
    todos = source.count('todo("')
    state = (
        f"skipped until its {todos} todo(...) value{'s' if todos != 1 else ''} are filled in"
        if todos > 0
        else "runs as-is"
    )
    typer.echo(f"wrote {shown}: an anchor for {function.qualname} ({state}; {chosen}: {why})")
    typer.echo(f"run it: pytest {shown}")


app.command("new", cls=Command, epilog=NEW_EPILOG)(new_command)


LINT_EPILOG = (
    "Examples:\n\n"
    "  blocking-io anchor lint                     # the configured anchor-paths\n\n"
    "  blocking-io anchor lint tests/blocking_io/test_uploads.py --format json\n\n"
    "Checks: BIOA01 the anchor offloads production code itself, BIOA02 it patches the "
    "offload machinery or the gate, BIOA03 allow_blocking_io without a reason, BIOA04 it "
    "imports no scanned module (errors); BIOA05 it replaces a blocking primitive, so "
    "offloads of it have no teeth (warning). Exit codes: 0 no errors, 1 errors, 2 input error."
)


def lint_command(
    paths: list[Path] = typer.Argument(
        None, help="Anchor files or folders (default: anchor-paths).", show_default=False
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    config: Path = common.CONFIG_OPTION,
) -> None:
    """Check that anchors can catch a regression (static, nothing is run)."""
    import json

    from ..anchor_lint import lint_anchors

    if fmt not in ("text", "json"):
        raise common.fail(f"--format must be text or json, not {fmt!r}")
    project = common.project(config)
    try:
        problems = lint_anchors(project, list(paths) if paths else None)
    except ValueError as exc:
        raise common.fail(str(exc)) from None
    if fmt == "json":
        typer.echo(json.dumps([
            {"path": p.path, "line": p.line, "column": p.column, "code": p.code,
             "severity": p.severity, "message": p.detail} for p in problems
        ], indent=2))  # fmt: skip
    else:
        for problem in problems:
            typer.echo(problem.render())
        errors = sum(1 for p in problems if p.severity == "error")
        typer.echo(
            f"{len(problems)} anchor problem(s): {errors} error(s), {len(problems) - errors} warning(s)"
        )
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) else 0)


app.command("lint", cls=Command, epilog=LINT_EPILOG)(lint_command)
