"""`blocking-io teeth` on a terminal: the headline, one row per offload site, what each
outcome means."""

from __future__ import annotations

import io

from rich.table import Table
from rich.text import Text

from blocking_io.gap_report.render_teeth import EXPLAIN, OUTCOMES, counts, headline, ordered
from blocking_io.shared_rules.reports import TeethReport

from .style import capture_console, section_table

OUTCOME_STYLE = {"has-teeth": "green", "toothless": "bold red", "unexercised": "yellow"}


def render_terminal(report: TeethReport, *, color: bool = False, width: int = 160) -> str:
    buffer = io.StringIO()
    console = capture_console(buffer, color=color, width=width)
    console.print(Text(headline(report), style="bold"))
    if report.sites:
        table: Table = section_table("Offload sites")
        for column in ("outcome", "site", "offloads", "reaches", "anchors"):
            table.add_column(column, overflow="fold")
        for site in ordered(report.sites):
            table.add_row(
                Text(site.outcome, style=OUTCOME_STYLE[site.outcome]),
                f"{site.path}:{site.line}\n{site.api}",
                site.target or "?",
                ", ".join(site.reaches),
                "\n".join(site.anchors) or "-",
            )
        console.print(table)
    for outcome in OUTCOMES:
        if counts(report.sites)[outcome]:
            console.print(Text(f"{outcome}: {EXPLAIN[outcome]}", style=OUTCOME_STYLE[outcome]))
    return buffer.getvalue()
