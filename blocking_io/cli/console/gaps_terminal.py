"""`--format terminal` (default): summary bars per status, a table per module, the findings
no anchor guards, and the anchors to write next, with the command that scaffolds each.

Deterministic: rendered into a buffer at a fixed width, color only when asked for.
"""

from __future__ import annotations

import io

from rich.bar import Bar
from rich.table import Table
from rich.text import Text

from blocking_io.gap_report.entries import (
    LABELS,
    STALE,
    GapResult,
    module_counts,
)
from blocking_io.shared_rules.names import short_name

from .style import SEVERITY_STYLE, capture_console, section_table

STATUS_STYLE = {
    "failing": "bold red",
    "runtime-blind": "magenta",
    "guarded": "green",
    "entry-anchored": "yellow",
    "unguarded": "red",
    STALE: "dim",
}
SHORT = {"runtime-blind": "blind", "entry-anchored": "entry"}
LISTED = ("failing", "unguarded", "entry-anchored", STALE)  # the statuses that need action
MAX_LISTED = 40
TOP_SUGGESTIONS = 5
BAR_WIDTH = 40


def _status_text(label: str) -> Text:
    return Text(label, style=STATUS_STYLE.get(label, ""))


def headline(result: GapResult) -> str:
    summary = result.report.summary
    return (
        f"blocking-io gaps: {summary['findings']} findings ({result.findings_path}) joined with "
        f"{summary['anchors']} anchors ({result.anchors_path})"
    )


def _bars(result: GapResult) -> Table:
    summary = result.report.summary
    total = max(summary["findings"], 1)
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_column()
    grid.add_column(justify="right")
    for label in LABELS:
        count = summary.get(label, 0)
        if label == STALE and not count:
            continue
        share = f"{100 * count / total:.0f}%" if summary["findings"] else "-"
        grid.add_row(
            _status_text(label),
            str(count),
            Bar(total, 0, count, width=BAR_WIDTH, color=_bar_color(label)),
            share,
        )
    return grid


def _bar_color(label: str) -> str:
    return STATUS_STYLE[label].split()[-1] if label != STALE else "white"


def _by_module(result: GapResult) -> Table:
    table = section_table("By module")
    table.add_column("module")
    shown = [label for label in LABELS if label != STALE or result.report.summary[STALE]]
    for label in shown:
        table.add_column(SHORT.get(label, label), justify="right")
    table.add_column("total", justify="right")
    for module, counts in module_counts(result.entries):
        cells = [
            Text(str(counts[label]), style=STATUS_STYLE[label] if counts[label] else "dim")
            for label in shown
        ]
        table.add_row(Text(module, overflow="fold"), *cells, str(sum(counts.values())))
    return table


def _listed(result: GapResult) -> Table | None:
    entries = [e for label in LISTED for e in result.by_status(label)]
    if not entries:
        return None
    title = "Findings no passing anchor guards"
    if len(entries) > MAX_LISTED:
        title += f" (first {MAX_LISTED} of {len(entries)})"
    table = section_table(title)
    for column in ("status", "sev", "rule", "where", "function", "why"):
        table.add_column(column, overflow="fold")
    for entry in entries[:MAX_LISTED]:
        finding = entry.finding
        table.add_row(
            _status_text(entry.label),
            Text(finding.severity, style=SEVERITY_STYLE.get(finding.severity, "")),
            finding.rule,
            f"{finding.path}:{finding.line}",
            short_name(finding.function),
            entry.detail,
        )
    return table


def _suggestions(result: GapResult, top: int) -> list[Text | Table]:
    suggestions = result.report.suggested_anchors
    if not suggestions:
        return []
    title = "Suggested anchors"
    if len(suggestions) > top:
        title += f" (top {top} of {len(suggestions)})"
    table = section_table(title)
    for column in ("#", "entry point", "findings", "score", "max sev", "where"):
        table.add_column(
            column, justify="right" if column in ("#", "findings", "score") else "left"
        )
    for rank, suggestion in enumerate(suggestions[:top], 1):
        reach = str(len(suggestion.findings))
        if suggestion.entry_anchored:
            reach += f" ({suggestion.entry_anchored} anchored)"
        table.add_row(
            str(rank),
            Text(suggestion.entrypoint, overflow="fold"),
            reach,
            str(suggestion.score),
            Text(suggestion.max_severity, style=SEVERITY_STYLE.get(suggestion.max_severity, "")),
            f"{suggestion.path}:{suggestion.line}",
        )
    lines: list[Text | Table] = [table, Text("")]
    for rank, suggestion in enumerate(suggestions[:top], 1):
        note = "  # already anchored: add a case" if suggestion.unguarded == 0 else ""
        lines.append(Text(f"  {rank}. {suggestion.command}{note}"))
    return lines


def render_terminal(
    result: GapResult,
    *,
    color: bool = False,
    width: int = 160,
    report_path: str | None = None,
    top: int = TOP_SUGGESTIONS,
) -> str:
    buffer = io.StringIO()
    console = capture_console(buffer, color=color, width=width)
    report = result.report
    console.print(Text(headline(result), style="bold"), soft_wrap=True)
    console.print()
    console.print(_bars(result))
    if result.entries:
        console.print()
        console.print(_by_module(result))
    listed = _listed(result)
    if listed is not None:
        console.print()
        console.print(listed)
    blocks = _suggestions(result, top)
    if blocks:
        console.print()
        for block in blocks:
            console.print(block, soft_wrap=isinstance(block, Text))
    if report.teeth:
        from blocking_io.gap_report.render_teeth import counts

        c = counts(report.teeth)
        console.print()
        console.print(
            Text(
                f"Offload teeth check: {c['has-teeth']} with teeth, {c['toothless']} toothless, "
                f"{c['unexercised']} unexercised (details: blocking-io teeth)",
                style="bold red" if c["toothless"] else "bold",
            ),
            soft_wrap=True,
        )
    if report.stale:
        console.print()
        console.print(
            Text(
                f"Stale: {len(report.stale)} file(s) changed since the reports were made; "
                f"{report.summary[STALE]} finding(s) left unclassified",
                style="bold yellow",
            ),
            soft_wrap=True,
        )
        for stale in report.stale:
            console.print(Text(f"  {stale.path}: {stale.reason}"), soft_wrap=True)
        fix = []
        if any(s.report in ("findings", "both") for s in report.stale):
            fix.append("re-run `blocking-io detect` (or pass --refresh)")
        if any(s.report in ("anchors", "both") for s in report.stale):
            fix.append("re-run the anchors with `pytest --blocking-io-report`")
        console.print(Text("  Fix: " + "; ".join(fix)), soft_wrap=True)
    if report.unmatched_violations:
        console.print()
        console.print(
            Text(
                f"Violations no finding explains ({len(report.unmatched_violations)}): "
                "the static side missed these (or they are suppressed)",
                style="bold",
            ),
            soft_wrap=True,
        )
        for v in report.unmatched_violations:
            console.print(
                Text(f"  {v.path}:{v.line} {v.rule} {v.symbol} in {v.function} ({v.test})"),
                soft_wrap=True,
            )
    if report.failing_anchors:
        console.print()
        console.print(
            Text(
                f"Failing anchors ({len(report.failing_anchors)}): they failed or errored, so "
                "they guard nothing until they pass",
                style="bold",
            ),
            soft_wrap=True,
        )
        for test in report.failing_anchors:
            console.print(Text(f"  {test}"), soft_wrap=True)
    if report.idle_anchors:
        console.print()
        console.print(
            Text(
                f"Idle anchors ({len(report.idle_anchors)}): they reach no finding the static "
                "side knows of",
                style="bold",
            ),
            soft_wrap=True,
        )
        for test in report.idle_anchors:
            console.print(Text(f"  {test}"), soft_wrap=True)
    console.print()
    console.print(Text(tally(result), style="bold"), soft_wrap=True)
    if report_path:
        console.print(Text(f"Report: {report_path}"), soft_wrap=True)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def tally(result: GapResult) -> str:
    summary = result.report.summary
    parts = [f"{summary[label]} {label}" for label in LABELS if label != STALE or summary[label]]
    return (
        f"{summary['findings']} findings: "
        + ", ".join(parts)
        + (f"; {summary['suppressed']} suppressed" if summary["suppressed"] else "")
    )
