"""`blocking-io gaps`: join findings.json and anchors.json into the coverage-gap report."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from blocking_io.shared_rules import InputError, ProjectConfig
from blocking_io.shared_rules.atomic import write_atomic
from blocking_io.shared_rules.reports import GapsReport, TeethReport, dump_report, load_report

from ..console.style import terminal_width
from . import common

if TYPE_CHECKING:  # imported where used: `blocking-io detect` should not pay for them
    from blocking_io.gap_report.ci import FailOn
    from blocking_io.gap_report.entries import GapResult

EPILOG = (
    "Examples:\n\n"
    "  blocking-io gaps                                   # after detect + the anchors run\n\n"
    "  blocking-io gaps --format markdown -o gaps.md      # a PR comment\n\n"
    "  blocking-io gaps --format html -o gaps.html        # one file to open in a browser\n\n"
    "  blocking-io gaps --fail-on unguarded:high --fail-on failing\n\n"
    "  blocking-io gaps --baseline main-gaps.json --fail-on unguarded   # no new gaps\n\n"
    "Statuses, first that applies: failing (an anchor caught it) > runtime-blind (the gate "
    "cannot intercept it) > guarded (its line ran in a passing anchor) > entry-anchored (an "
    "entry point that reaches it ran, the line did not) > unguarded. Findings in files "
    "changed since either report are left unclassified (stale). The JSON report is always "
    "written to <report-dir>/gaps.json unless --no-report. Exit codes: 0 clean or below "
    "--fail-on, 1 a --fail-on threshold tripped, 2 usage/config/input error."
)


class GapsFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"


def _shown(path: Path, project: ProjectConfig) -> str:
    return project.relpath(path) if path.is_absolute() else path.as_posix()


def gaps_command(
    findings: Annotated[
        Path | None,
        typer.Option(
            "--findings",
            help="findings.json of `blocking-io detect` (default: <report-dir>/findings.json).",
            show_default=False,
        ),
    ] = None,
    anchors: Annotated[
        Path | None,
        typer.Option(
            "--anchors",
            help="anchors.json of `pytest --blocking-io-report` (default: <report-dir>/anchors.json).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[GapsFormat, typer.Option("--format", "-f", help="Output format.")] = (
        GapsFormat.terminal
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the output to FILE (atomically) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="STATUS[:SEVERITY]",
            help="Exit 1 if a finding has STATUS (failing, runtime-blind, guarded, "
            "entry-anchored, unguarded, stale) at or above SEVERITY. Repeatable.",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="A previous gaps.json: --fail-on counts only findings that are new since it "
            "or whose status got worse.",
            show_default=False,
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh", help="Re-run `blocking-io detect` first (refreshes findings.json)."
        ),
    ] = False,
    top: Annotated[
        int, typer.Option("--top", min=1, help="Suggested anchors to show (terminal, markdown).")
    ] = 5,
    report: Annotated[
        bool, typer.Option("--report/--no-report", help="Write <report-dir>/gaps.json.")
    ] = True,
    color: Annotated[
        common.ColorChoice, typer.Option("--color", help=common.COLOR_HELP)
    ] = common.ColorChoice.auto,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="pyproject.toml with a \\[tool.blocking-io] table (default: the nearest one, "
            "walking up).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Which static findings does a runtime anchor guard, and which anchor to write next.

    Joins the static detector's findings.json with the runtime gate's anchors.json (both
    read as files: the two sides can run in different jobs) and gives every unsuppressed
    finding a status: failing, runtime-blind, guarded, entry-anchored or unguarded. Ranks
    the entry points an anchor should drive next and lists anchors that reach no finding.
    """
    from blocking_io.cli.console.gaps import render
    from blocking_io.gap_report import build_gaps, load_inputs, parse_fail_on
    from blocking_io.gap_report.refresh import refresh_findings

    project = common.project(config)
    try:
        rules = [parse_fail_on(text) for text in fail_on or []]
    except ValueError as exc:
        raise common.fail(str(exc)) from None
    findings_path = findings or project.report_dir / "findings.json"
    anchors_path = anchors or project.report_dir / "anchors.json"
    try:
        prior = load_report(baseline, GapsReport) if baseline is not None else None
        if refresh:
            from ..console.progress import progress_reporter

            with progress_reporter("re-running detect (--refresh)"):
                refresh_findings(findings_path.resolve(), cwd=project.root, config=project.path)
        inputs = load_inputs(
            findings_path,
            anchors_path,
            root=project.root,
            shown_findings=_shown(findings_path, project),
            shown_anchors=_shown(anchors_path, project),
        )
        result = build_gaps(inputs, project.registry, config_hash=project.config_hash)
        teeth_path = project.report_dir / "teeth.json"
        if teeth_path.exists():  # `blocking-io teeth` ran: offloads nothing protects are gaps too
            result.report.teeth = load_report(teeth_path, TeethReport).sites
        report_path = project.report_dir / "gaps.json"
    except InputError as exc:
        raise common.fail(str(exc)) from None
    for warning in result.warnings:
        common.warn(warning)
    colored = common.want_color(color, output)
    text = render(
        result,
        fmt.value,
        color=colored,
        width=160 if output else terminal_width(),
        report_path=project.relpath(report_path) if report else None,
        top=top,
    )
    if output:
        try:
            write_atomic(output, text)
        except InputError as exc:
            raise common.fail(str(exc)) from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    code = _exit_code(result, rules, prior, baseline)
    if report:  # after the output: a report that cannot be written must not hide it
        try:
            dump_report(result.report, report_path)
        except InputError as exc:
            raise common.fail(str(exc)) from None
    if result.incomplete:  # a crashed xdist worker: the verdicts above are not all there
        raise common.fail(
            f"{result.anchors_path} is incomplete: findings it could have guarded are left "
            "unclassified (see the warning above)"
        )
    raise typer.Exit(code)


def _exit_code(
    result: GapResult, rules: list[FailOn], prior: GapsReport | None, baseline: Path | None
) -> int:
    from blocking_io.gap_report import tripped

    hits = tripped(result.entries, rules, prior)
    for rule, entries in hits:
        since = f" (new or worse since {baseline})" if baseline is not None else ""
        typer.echo(
            f"blocking-io: --fail-on {rule}: {len(entries)} finding"
            f"{'' if len(entries) == 1 else 's'}{since}",
            err=True,
        )
        for entry in entries[:10]:
            finding = entry.finding
            typer.echo(
                f"  {finding.path}:{finding.line} {finding.rule} [{finding.severity}] "
                f"{entry.label}: {finding.function}",
                err=True,
            )
        if len(entries) > 10:
            typer.echo(f"  ... and {len(entries) - 10} more", err=True)
    return common.EXIT_FINDINGS if hits else common.EXIT_OK
