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
from blocking_io.shared_rules.reports import SuggestedAnchor

from .style import SEVERITY_STYLE, add_column, capture_console, cell, fits, section_table

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
    add_column(table, "module")
    shown = [label for label in LABELS if label != STALE or result.report.summary[STALE]]
    for label in shown:
        add_column(table, SHORT.get(label, label), "num")
    add_column(table, "total", "num")
    for module, counts in module_counts(result.entries):
        cells = [
            Text(str(counts[label]), style=STATUS_STYLE[label] if counts[label] else "dim")
            for label in shown
        ]
        table.add_row(cell(module), *cells, str(sum(counts.values())))
    return table


def _listed(result: GapResult, width: int) -> Table | None:
    entries = [e for label in LISTED for e in result.by_status(label)]
    if not entries:
        return None
    title = "Findings no passing anchor guards"
    if len(entries) > MAX_LISTED:
        title += f" (first {MAX_LISTED} of {len(entries)})"
    shown = entries[:MAX_LISTED]
    wide = section_table(title)
    for column in ("status", "sev", "rule", "where", "function"):
        add_column(wide, column)
    add_column(wide, "why", "text", min_width=24)
    for entry in shown:
        finding = entry.finding
        wide.add_row(
            _status_text(entry.label),
            Text(finding.severity, style=SEVERITY_STYLE.get(finding.severity, "")),
            finding.rule,
            f"{finding.path}:{finding.line}",
            short_name(finding.function),
            entry.detail,
        )
    if fits(_without_last_column(wide, 24), width):
        return wide
    # narrow: where, function and why share one column, one under the other
    stacked = section_table(title)
    for column in ("status", "sev", "rule"):
        add_column(stacked, column)
    add_column(stacked, "where, function: why", "text")
    for entry in shown:
        finding = entry.finding
        text = cell(f"{finding.path}:{finding.line}\n")
        text.append(Text(f"{short_name(finding.function)}: {entry.detail}", overflow="ellipsis"))
        text.no_wrap = False
        stacked.add_row(
            _status_text(entry.label),
            Text(finding.severity, style=SEVERITY_STYLE.get(finding.severity, "")),
            finding.rule,
            text,
        )
    return stacked


def _without_last_column(table: Table, width: int) -> Table:
    """What `table` needs when its last (prose) column is `width` wide: its measure."""
    probe = Table(box=table.box, show_edge=table.show_edge, pad_edge=table.pad_edge)
    for column in table.columns[:-1]:
        probe.add_column(column.header, no_wrap=True)
    probe.add_column("", width=width)
    cells = [list(column.cells) for column in table.columns[:-1]]
    for row in zip(*cells, strict=True):
        probe.add_row(*row, "")
    return probe


def _suggestions(result: GapResult, top: int, width: int) -> list[Text | Table]:
    suggestions = result.report.suggested_anchors
    if not suggestions:
        return []
    title = "Suggested anchors"
    if len(suggestions) > top:
        title += f" (top {top} of {len(suggestions)})"
    chosen = list(enumerate(suggestions[:top], 1))

    def reach(suggestion: SuggestedAnchor) -> str:
        text = str(len(suggestion.findings))
        if suggestion.entry_anchored:
            text += f" ({suggestion.entry_anchored} anchored)"
        return text

    def severity(suggestion: SuggestedAnchor) -> Text:
        return Text(suggestion.max_severity, style=SEVERITY_STYLE.get(suggestion.max_severity, ""))

    table = section_table(title)
    add_column(table, "#", "num")
    add_column(table, "entry point")
    add_column(table, "findings", "num")
    add_column(table, "score", "num")
    add_column(table, "max sev")
    add_column(table, "where")
    for rank, suggestion in chosen:
        table.add_row(
            str(rank),
            suggestion.entrypoint,
            reach(suggestion),
            str(suggestion.score),
            severity(suggestion),
            f"{suggestion.path}:{suggestion.line}",
        )
    if not fits(table, width):  # narrow: the place under the entry point
        table = section_table(title)
        add_column(table, "#", "num")
        add_column(table, "entry point, where")
        add_column(table, "findings", "num")
        add_column(table, "score", "num")
        add_column(table, "max sev")
        for rank, suggestion in chosen:
            table.add_row(
                str(rank),
                cell(f"{suggestion.entrypoint}\n{suggestion.path}:{suggestion.line}"),
                reach(suggestion),
                str(suggestion.score),
                severity(suggestion),
            )
    lines: list[Text | Table] = [table, Text("")]
    for rank, suggestion in chosen:
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
    listed = _listed(result, width)
    if listed is not None:
        console.print()
        console.print(listed)
    blocks = _suggestions(result, top, width)
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
