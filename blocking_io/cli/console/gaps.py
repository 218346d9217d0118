"""The output formats of `blocking-io gaps`, each a pure function of the join result."""

from __future__ import annotations

from blocking_io.gap_report.entries import GapResult
from blocking_io.gap_report.render_html import render_html
from blocking_io.gap_report.render_markdown import render_markdown
from blocking_io.shared_rules.reports import report_json

from .gaps_terminal import render_terminal

FORMATS = ("terminal", "json", "markdown", "html")


def render(
    result: GapResult,
    fmt: str,
    *,
    color: bool = False,
    width: int = 160,
    report_path: str | None = None,
    top: int = 5,
) -> str:
    """The result in format `fmt`, newline-terminated; byte-identical for the same input."""
    if fmt == "json":
        return report_json(result.report)
    if fmt == "markdown":
        return render_markdown(result, top=top)
    if fmt == "html":
        return render_html(result)
    if fmt == "terminal":
        return render_terminal(result, color=color, width=width, report_path=report_path, top=top)
    raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
