"""`blocking-io teeth` on a terminal: the headline, one row per offload site, what each
outcome means."""

from __future__ import annotations

import io

from rich.table import Table
from rich.text import Text

from blocking_io.gap_report.render_teeth import EXPLAIN, OUTCOMES, counts, headline, ordered
from blocking_io.shared_rules.reports import TeethReport

from .style import add_column, capture_console, cell, fits, section_table

OUTCOME_STYLE = {"has-teeth": "green", "toothless": "bold red", "unexercised": "yellow"}


def render_terminal(report: TeethReport, *, color: bool = False, width: int = 160) -> str:
    buffer = io.StringIO()
    console = capture_console(buffer, color=color, width=width)
    # free text is not wrapped by us: a terminal wraps it, a CI log keeps it on one line
    console.print(Text(headline(report), style="bold"), soft_wrap=True)
    if report.sites:
        console.print(_sites_table(report, width))
    for outcome in OUTCOMES:
        if counts(report.sites)[outcome]:
            console.print(
                Text(f"{outcome}: {EXPLAIN[outcome]}", style=OUTCOME_STYLE[outcome]),
                soft_wrap=True,
            )
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _sites_table(report: TeethReport, width: int) -> Table:
    table: Table = section_table("Offload sites")
    for column, kind in (
        ("outcome", "id"), ("site", "id"), ("offloads", "id"), ("reaches", "text"),
        ("anchors", "id"),
    ):  # fmt: skip
        add_column(table, column, kind)
    for site in ordered(report.sites):
        table.add_row(
            Text(site.outcome, style=OUTCOME_STYLE[site.outcome]),
            cell(f"{site.path}:{site.line}\n{site.api}"),
            cell(site.target or "?"),
            ", ".join(site.reaches),
            cell("\n".join(site.anchors) or "-"),
        )
    if fits(table, width):
        return table
    # narrow: one column of details under each outcome
    stacked: Table = section_table("Offload sites")
    add_column(stacked, "outcome")
    add_column(stacked, "site, what it offloads, what that reaches, anchors")
    for site in ordered(report.sites):
        lines = [
            f"{site.path}:{site.line}",
            f"{site.api}({site.target or '?'})",
            f"reaches {', '.join(site.reaches) or '-'}",
            *(f"anchor {a}" for a in site.anchors),
        ]
        stacked.add_row(
            Text(site.outcome, style=OUTCOME_STYLE[site.outcome]), cell("\n".join(lines))
        )
    return stacked
