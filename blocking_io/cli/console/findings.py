"""Output formats of `blocking-io detect`: each a pure function of (report, registry, options).

    from blocking_io.cli.console.findings import OutputFormat, render
    sys.stdout.write(render(report, OutputFormat.sarif, registry))

`color=None` and `width=None` look at stdout (a terminal or not, NO_COLOR, FORCE_COLOR);
pass them explicitly when writing to a file.
"""

from __future__ import annotations

from enum import Enum

from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import FindingsReport, report_json
from blocking_io.static_detector.output.report_view import normalized, tally

from .style import terminal_width, use_color

__all__ = ["OutputFormat", "normalized", "render", "tally", "use_color"]


class OutputFormat(str, Enum):
    full = "full"  # ruff's names: full (the default), concise
    concise = "concise"
    text = "text"  # full's old name, kept for scripts that use it
    summary = "summary"
    json = "json"
    sarif = "sarif"
    github = "github"


def render(
    report: FindingsReport,
    fmt: OutputFormat | str,
    registry: Registry,
    *,
    color: bool | None = None,
    width: int | None = None,
    report_path: str | None = None,
    subproject: str | None = None,
) -> str:
    """The report in format `fmt`, newline-terminated; byte-identical for the same input.

    color: None = only when stdout is a terminal and NO_COLOR is unset (full, concise,
    summary).
    width: summary table width; None = the terminal's, 160 when not a terminal.
    report_path: where findings.json was written, named at the end of the summary.
    subproject: the project's directory within its repository (SARIF's category).
    """
    # renderers are imported on use: a warm `detect` run should not pay for rich tables
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.json:
        return report_json(normalized(report))
    if fmt is OutputFormat.sarif:
        from blocking_io.static_detector.output.sarif import render_sarif

        return render_sarif(report, registry, subproject=subproject)
    if fmt is OutputFormat.github:
        from blocking_io.static_detector.output.github import render_github

        return render_github(report, registry)
    colored = use_color() if color is None else color
    if fmt in (OutputFormat.full, OutputFormat.text, OutputFormat.concise):
        from .findings_text import render_text

        return render_text(report, registry, color=colored, concise=fmt is OutputFormat.concise)
    from .findings_summary import render_summary

    return render_summary(
        report,
        registry,
        color=colored,
        width=terminal_width() if width is None else width,
        report_path=report_path,
    )
