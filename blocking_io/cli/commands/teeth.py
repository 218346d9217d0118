"""`blocking-io teeth`: prove that each offload is guarded by an anchor that goes red."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer

from blocking_io.shared_rules.atomic import write_atomic
from blocking_io.shared_rules.reports import dump_report, report_json

from ..console.style import terminal_width
from . import common

EPILOG = (
    "Examples:\n\n"
    "  blocking-io teeth                          # after detect and a recorded anchors run\n\n"
    "  blocking-io teeth --site relay/storage/blobs.py:41\n\n"
    "  blocking-io teeth --format markdown -o teeth.md --fail-on toothless\n\n"
    "For each offload of blocking work (asyncio.to_thread, run_in_executor, anyio, starlette, "
    "configured offload-functions), re-runs the anchors that executed it with that one "
    "offload reverted to run on the loop. has-teeth: an anchor went red; toothless: they "
    "stayed green; unexercised: no anchor runs it. Writes <report-dir>/teeth.json, which "
    "`blocking-io gaps` includes. Exit codes: 0, 1 a --fail-on outcome present, 2 input error."
)


class TeethFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"


class Outcome(str, Enum):
    toothless = "toothless"
    unexercised = "unexercised"


def teeth_command(
    findings: Path = typer.Option(
        None,
        "--findings",
        help="findings.json (default: <report-dir>/findings.json).",
        show_default=False,
    ),
    anchors: Path = typer.Option(
        None,
        "--anchors",
        help="anchors.json from a recorded anchors run (default: <report-dir>/anchors.json).",
        show_default=False,
    ),
    site: list[str] = typer.Option(
        None,
        "--site",
        metavar="PATH:LINE",
        help="Only these offload sites (repeatable).",
        show_default=False,
    ),
    jobs: int = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Sites checked in parallel (default: CPU count).",
        show_default=False,
    ),
    fmt: TeethFormat = typer.Option(TeethFormat.terminal, "--format", "-f", help="Output format."),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write the output to FILE.", show_default=False
    ),
    fail_on: list[Outcome] = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 if any site has this outcome (repeatable).",
        show_default=False,
    ),
    color: common.ColorChoice = common.COLOR_OPTION,
    config: Path = common.CONFIG_OPTION,
) -> None:
    """Check that reverting each offload turns an anchor red (has teeth)."""
    from blocking_io.gap_report.render_teeth import render_markdown
    from blocking_io.gap_report.teeth import check_teeth

    from ..console.teeth_terminal import render_terminal

    project = common.project(config)
    findings_path = findings or project.report_dir / "findings.json"
    anchors_path = anchors or project.report_dir / "anchors.json"
    from ..console.progress import progress_reporter

    with progress_reporter("checking offloads (re-running their anchors)") as progress:
        report = check_teeth(
            findings_path,
            anchors_path,
            project.root,
            jobs=jobs or os.cpu_count() or 1,
            only=tuple(site or ()),
            progress=(lambda checked: progress.advance(checked.outcome)) if progress else None,
        )
    if fmt is TeethFormat.json:
        text = report_json(report)
    elif fmt is TeethFormat.markdown:
        text = (
            render_markdown(report.sites, heading="## Offload teeth check")
            or "No offloads of blocking work.\n"
        )
    else:
        text = render_terminal(
            report,
            color=common.want_color(color, output),
            width=160 if output else terminal_width(),
        )
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    # after the output: a report that cannot be written must not hide it (exit 2)
    dump_report(report, project.report_dir / "teeth.json")
    tripped = {o.value for o in fail_on or []} & {s.outcome for s in report.sites}
    raise typer.Exit(common.EXIT_FINDINGS if tripped else common.EXIT_OK)
