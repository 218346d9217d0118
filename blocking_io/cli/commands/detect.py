"""`blocking-io detect` and `blocking-io baseline`."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import typer

from blocking_io.shared_rules import InputError, ProjectConfig, Severity
from blocking_io.shared_rules.atomic import write_atomic
from blocking_io.shared_rules.config import with_overrides
from blocking_io.shared_rules.report_dir import mark_report_dir
from blocking_io.shared_rules.reports import Finding, FindingsReport, Impact, report_json
from blocking_io.static_detector.scan import ScanResult, scan

from ..console.findings import OutputFormat, render
from ..console.progress import progress_reporter
from . import common

DETECT_EPILOG = (
    "Examples:\n\n"
    "  blocking-io detect                         # configured paths, each finding in full\n\n"
    "  blocking-io detect --output-format concise # one line per finding\n\n"
    "  blocking-io detect app/ libs/core --format summary\n\n"
    "  blocking-io detect --format sarif -o blocking-io.sarif   # for GitHub code scanning\n\n"
    "  blocking-io detect --changed-since origin/main           # only what a PR touches\n\n"
    "  blocking-io detect --baseline .blocking-io-baseline.json # only new findings\n\n"
    "The full report (JSON contract) is always written to <report-dir>/findings.json "
    "unless --no-report. Exit codes: 0 no findings at or above --min-severity, 1 findings, "
    "2 usage/config/input error (including files that could not be analysed)."
)

BASELINE_EPILOG = (
    "Examples:\n\n"
    "  blocking-io baseline .blocking-io-baseline.json\n\n"
    "  blocking-io detect --baseline .blocking-io-baseline.json   # later: only new findings"
)


PYTHON_OPTION = typer.Option(
    None,
    "--python",
    metavar="PATH",
    help="The project's Python environment (an interpreter or a virtual environment folder), "
    "whose installed libraries are followed. Default: `python` in [tool.blocking-io], "
    "VIRTUAL_ENV, .venv or venv at the project root, the uv/pdm/poetry/hatch environment of "
    "the project, else the interpreter blocking-io runs on.",
    show_default=False,
)


def _split(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(out)


def _check_rule_ids(project: ProjectConfig, option: str, selectors: tuple[str, ...]) -> None:
    """An unknown id on the command line names the option it came from."""
    known = [r.id for r in project.registry.all_rules or project.registry.rules]
    for selector in selectors:
        if selector != "ALL" and not any(rule_id.startswith(selector) for rule_id in known):
            raise common.fail(
                f"{option}: unknown rule id {selector!r} (`blocking-io rules` lists them)"
            )


def run_scan(
    paths: list[Path] | None,
    config: Path | None,
    *,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    jobs: int | None = None,
    no_cache: bool = False,
    cache_home: bool = False,
    python: Path | None = None,
) -> tuple[ProjectConfig, FindingsReport]:
    project, result = _run_scan(
        paths, config, select=select, extend_select=extend_select, ignore=ignore,
        jobs=jobs, no_cache=no_cache, cache_home=cache_home, python=python,
    )  # fmt: skip
    return project, result.report


def _run_scan(
    paths: list[Path] | None,
    config: Path | None,
    *,
    select: list[str] | None,
    extend_select: list[str] | None,
    ignore: list[str] | None,
    jobs: int | None,
    no_cache: bool,
    cache_home: bool,
    python: Path | None = None,
) -> tuple[ProjectConfig, ScanResult]:
    project = common.project(config)
    for problem in project.registry.kb.problems:  # a corrupt knowledge-base file: left out
        common.warn(problem)
    if cache_home:
        project = in_user_cache(project)
    for option, values in (
        ("--select", select),
        ("--extend-select", extend_select),
        ("--ignore", ignore),
    ):
        _check_rule_ids(project, option, _split(values))
    project = with_overrides(
        project,
        select=_split(select) if select else None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
    )
    # no cyclic collection for the rest of the command: the scan's millions of objects
    # live until the os._exit, and a collection after the scan (or while rendering the
    # report) walked them all (0.2 s on letta)
    gc.disable()
    with progress_reporter() as progress:
        result = scan(
            project,
            paths or None,
            jobs=jobs,
            use_cache=not no_cache,
            progress=progress,
            python=str(Path.cwd() / python) if python else None,
            keep_alive=True,  # the command ends with os._exit: nothing to free
        )
    _explain_warnings(result.report)
    if result.report.stats.files == 0 and not result.report.errors:
        raise common.fail(_nothing_matched(project, paths))
    return project, result


def in_user_cache(project: ProjectConfig) -> ProjectConfig:
    """The project with its report directory (and so its cache) in the user's cache
    directory, one per project root: what the pre-commit hook writes, outside the work
    tree (`~/.cache/blocking-io/<name>-<hash of the root>` on Linux)."""
    import dataclasses
    import hashlib

    from platformdirs import user_cache_dir

    key = hashlib.sha256(str(project.root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in project.root.name)[:40]
    folder = Path(user_cache_dir("blocking-io", appauthor=False)) / f"{name or 'root'}-{key}"
    settings = project.settings.model_copy(update={"report_dir": str(folder)})
    return dataclasses.replace(project, settings=settings)


def _hook_files(project: ProjectConfig, files: list[Path] | None) -> set[str]:
    """The files pre-commit passed, as project-relative paths (findings name them so)."""
    return {project.relpath(Path.cwd() / f) for f in files or []}


def _touches(finding: Finding, files: set[str]) -> bool:
    """Whether the finding's call chain passes through one of `files`: where it runs on the
    loop, a helper on the way, or the blocking call itself."""
    return finding.path in files or any(step.path in files for step in finding.chain)


def _nothing_matched(project: ProjectConfig, paths: list[Path] | None) -> str:
    """Why a scan found no Python file, naming what was looked in: the paths given, the
    `include` patterns that match nothing, or the folders (an empty folder, all excluded)."""
    import glob

    where = project.relpath(project.path) if project.path else "pyproject.toml"
    if paths:
        named = ", ".join(p.as_posix() for p in paths)
        return f"no Python file to scan in {named} (empty, or every file excluded); nothing scanned"
    settings = project.settings
    if settings.include:
        dead = [
            pattern
            for pattern in settings.include
            if not glob.glob(str(project.root / pattern), recursive=True)
        ]
        if dead:
            shown = ", ".join(repr(p) for p in dead)
            verb = "matches" if len(dead) == 1 else "match"
            return f"{where}: [tool.blocking-io].include: {shown} {verb} no file; nothing scanned"
        shown = ", ".join(repr(p) for p in settings.include)
        return (
            f"{where}: [tool.blocking-io].include: no Python file in {shown} (or every one "
            "is excluded); nothing scanned"
        )
    folders = settings.source_roots or (".",)
    shown = ", ".join(f"{f.rstrip('/')}/" for f in folders)
    return f"no Python file under {shown} (empty, or every file excluded); nothing scanned"


def detect_command(
    paths: list[Path] = typer.Argument(
        None,
        help="Files or directories (default: `include` / `source-roots` from the config). "
        "With --pre-commit: the files whose findings are reported.",
        show_default=False,
    ),
    fmt: OutputFormat = typer.Option(
        OutputFormat.full,
        "--output-format",
        "--format",
        "-f",
        help="Output format, as ruff names them: full (each finding with its call chain and "
        "fix), concise (one line each); text is full's old name.",
    ),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the output to FILE (atomically) instead of stdout.",
        show_default=False,
    ),
    select: list[str] = typer.Option(
        None,
        "--select",
        help="Only these rule ids/prefixes (comma-separated; replaces the config).",
        show_default=False,
    ),
    extend_select: list[str] = typer.Option(
        None,
        "--extend-select",
        help="Enable these rules in addition (e.g. BIO107).",
        show_default=False,
    ),
    ignore: list[str] = typer.Option(
        None, "--ignore", help="Disable these rule ids/prefixes.", show_default=False
    ),
    min_severity: Severity = typer.Option(
        Severity.low,
        "--min-severity",
        help="Report and count only findings at or above this severity.",
    ),
    min_impact: Impact = typer.Option(
        None,
        "--min-impact",
        help="Report only findings at least this frequent: request > background > lifecycle > "
        "once > script (default: `min-impact` in the config, else once: scripts and private "
        "loops are hidden). See docs/impact.md.",
        show_default=False,
    ),
    baseline: Path = typer.Option(
        None,
        "--baseline",
        help="Report only findings not in this baseline (see `blocking-io baseline`).",
        show_default=False,
    ),
    changed_since: str = typer.Option(
        None,
        "--changed-since",
        metavar="REV",
        help="Report only findings whose call chain touches lines changed since git REV "
        "(including findings an edit made newly reachable).",
        show_default=False,
    ),
    jobs: int = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Processes that parse: this one and N-1 forked workers (default: one per CPU for trees of 2 MB of source or more, else this one alone).",
        show_default=False,
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ignore and do not write the cache."),
    report: bool = typer.Option(
        True, "--report/--no-report", help="Write <report-dir>/findings.json."
    ),
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even with findings (errors still exit 2)."
    ),
    pre_commit: bool = typer.Option(
        False,
        "--pre-commit",
        help="The pre-commit hook's mode: the PATHS pre-commit passes choose what is reported "
        "(findings whose call chain touches one of them; none given: every finding), while "
        "the configured project is analysed whole; no report is written and the cache lives "
        "in the user cache directory, so nothing changes in the work tree.",
    ),
    python: Path = PYTHON_OPTION,
    color: common.ColorChoice = common.COLOR_OPTION,
    config: Path = common.CONFIG_OPTION,
) -> None:
    """Find blocking IO that can run on the asyncio event loop.

    Reports each place on the loop (an `async def`, a loop callback, a configured loop entry point) that calls a blocking primitive directly or through sync helpers in any module, with the call chain as evidence. Work handed to threads (`asyncio.to_thread`, `run_in_executor`, anyio, starlette, executors) is not reported.
    """
    changed = None
    if changed_since:  # a bad revision or no git repository fails before the scan
        from blocking_io.static_detector.changes import changed_lines

        changed = changed_lines(common.project(config).root, changed_since)
    touched: set[str] | None = None
    if pre_commit:  # the files decide what is reported; the whole project is analysed
        touched = _hook_files(common.project(config), paths)
        paths, report = [], False
    project, result = _run_scan(
        paths, config, select=select, extend_select=extend_select, ignore=ignore,
        jobs=jobs, no_cache=no_cache, cache_home=pre_commit, python=python,
    )  # fmt: skip
    full = result.report
    report_path = project.report_dir / "findings.json"
    shown = full
    threshold = min_severity.rank
    floor_impact = min_impact or project.settings.min_impact
    floor = floor_impact.rank
    rare = [f for f in shown.findings if f.impact.rank > floor and f.suppressed is None]
    shown = shown.model_copy(
        update={
            "findings": [
                f
                for f in shown.findings
                if Severity.rank_of(f.severity) >= threshold and f.impact.rank <= floor
            ]
        }
    )
    if baseline is not None:
        import blocking_io.static_detector.baseline as baselines

        shown = baselines.apply_baseline(shown, baselines.load_baseline(baseline))
    if changed is not None:
        from blocking_io.static_detector.changes import touches_change

        shown = shown.model_copy(
            update={"findings": [f for f in shown.findings if touches_change(f, changed)]}
        )
    if touched:
        shown = shown.model_copy(
            update={"findings": [f for f in shown.findings if _touches(f, touched)]}
        )
    text = render(
        shown,
        fmt,
        project.registry,
        color=common.want_color(color, output),
        width=160 if output else None,
        report_path=project.relpath(report_path) if report else None,
        subproject=repository_subpath(project.root),
    )
    # the findings first: a report that cannot be written (full disk, read-only folder)
    # must not hide them; its one-line error and exit 2 come after
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    notes = [_errors_line(shown)]
    if rare:
        n = len(rare)
        notes.append(
            f"blocking-io: {n} finding{'s' if n != 1 else ''} of lower impact than "
            f"`{floor_impact}` not shown (scripts, private loops); `--min-impact script` "
            "shows them"
        )
    explained = "\n".join(note for note in notes if note)
    if explained:
        typer.echo(explained, err=True)
    report_text = report_json(full) if report else ""
    if report:
        try:  # as dump_report, with the text kept for the replay record
            mark_report_dir(report_path.parent)
            write_atomic(report_path, report_text)
        except InputError as exc:
            raise common.fail(str(exc)) from None
    code = exit_code(shown, exit_zero)
    replayable = not (no_cache or changed_since or pre_commit)
    if replayable and fmt is not OutputFormat.summary and result.inputs is not None:
        if not any(ch in p for p in project.settings.include for ch in "*?["):
            from ..replay import record

            record(
                report_dir=project.report_dir.resolve(),
                config_path=project.path,
                inputs=result.inputs,
                stats=(full.stats.files, full.stats.lines),
                stdout=text,
                stdout_stats=fmt is OutputFormat.json,
                output=Path(os.path.abspath(output)) if output else None,
                report_path=report_path.resolve() if report else None,
                report=report_text,
                stderr=explained + "\n" if explained else "",
                code=code,
                extra_inputs=[
                    *([baseline] if baseline is not None else []),
                    # SARIF's category: where the project sits in its git work tree
                    *(
                        [d / ".git" for d in (project.root, *project.root.parents)]
                        if fmt is OutputFormat.sarif
                        else []
                    ),
                ],
            )
    raise typer.Exit(code)


def repository_subpath(root: Path) -> str | None:
    """Where the project sits in its git work tree (`services/api`; `.` at the top), found
    by walking up to `.git` (a directory, or a file in a worktree); None outside git."""
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return root.relative_to(directory).as_posix()
    return None


def _explain_warnings(report: FindingsReport) -> None:
    """What did not stop the scan (an unusable environment, an unreadable library file):
    one line each on stderr, whatever the format on stdout."""
    for warning in report.warnings:
        where = warning.path if warning.line is None else f"{warning.path}:{warning.line}"
        typer.echo(f"blocking-io: warning: {where}: {warning.message}", err=True)


def _explain_errors(report: FindingsReport) -> None:
    """Exit code 2 for files that could not be analysed must not be a mystery, whatever
    the format on stdout (json and sarif do not print the errors as text)."""
    line = _errors_line(report)
    if line:
        typer.echo(line, err=True)


def _errors_line(report: FindingsReport) -> str:
    if not report.errors:
        return ""
    paths = sorted({e.path for e in report.errors})
    named = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return (
        f"blocking-io: error: {len(paths)} file{'s' if len(paths) != 1 else ''} could not "
        f"be analysed ({named}); exit code 2"
    )


def exit_code(report: FindingsReport, exit_zero: bool) -> int:
    if report.errors:
        return common.EXIT_ERROR
    active = [f for f in report.findings if f.suppressed is None]
    if active and not exit_zero:
        return common.EXIT_FINDINGS
    return common.EXIT_OK


def baseline_command(
    file: Path = typer.Argument(..., help="Baseline file to write (JSON)."),
    paths: list[Path] = typer.Argument(
        None, help="Files or directories (default: from the config).", show_default=False
    ),
    jobs: int = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes that parse (as detect's).", show_default=False
    ),
    python: Path = PYTHON_OPTION,
    config: Path = common.CONFIG_OPTION,
) -> None:
    """Record today's findings so that `detect --baseline FILE` reports only new ones."""
    import blocking_io.static_detector.baseline as baselines

    _, report = run_scan(paths, config, jobs=jobs, python=python)
    written = baselines.write_baseline(report, file)
    typer.echo(f"blocking-io: wrote {file} ({written.total} findings)", err=True)
    for error in report.errors:
        where = error.path if error.line is None else f"{error.path}:{error.line}"
        typer.echo(f"{where}: error: {error.kind}: {error.message}", err=True)
    _explain_errors(report)
    raise typer.Exit(common.EXIT_ERROR if report.errors else common.EXIT_OK)
