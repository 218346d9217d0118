"""Output of `blocking-io teeth`: terminal table and a Markdown section (also used by gaps)."""

from __future__ import annotations

import io

from rich.table import Table
from rich.text import Text

from shared_rules.reports import TeethReport, TeethSite
from static_detector.output.style import capture_console, section_table

OUTCOME_STYLE = {"has-teeth": "green", "toothless": "bold red", "unexercised": "yellow"}
OUTCOMES = ("toothless", "unexercised", "has-teeth")  # what needs action first
EXPLAIN = {
    "has-teeth": "an anchor goes red when the offload is reverted",
    "toothless": "anchors run it, but stay green when it is reverted (runtime-blind or mocked away)",
    "unexercised": "no anchor executes this offload",
}


def counts(sites: list[TeethSite]) -> dict[str, int]:
    return {outcome: sum(1 for s in sites if s.outcome == outcome) for outcome in OUTCOMES}


def headline(report: TeethReport) -> str:
    c = counts(report.sites)
    total = len(report.sites)
    return (
        f"Teeth check: {total} offload{'s' if total != 1 else ''} of blocking work: "
        f"{c['has-teeth']} with teeth, {c['toothless']} toothless, {c['unexercised']} unexercised "
        f"({report.seconds:.1f}s)"
    )


def _ordered(sites: list[TeethSite]) -> list[TeethSite]:
    return sorted(sites, key=lambda s: (OUTCOMES.index(s.outcome), s.path, s.line))


def render_terminal(report: TeethReport, *, color: bool = False, width: int = 160) -> str:
    buffer = io.StringIO()
    console = capture_console(buffer, color=color, width=width)
    console.print(Text(headline(report), style="bold"))
    if report.sites:
        table: Table = section_table("Offload sites")
        for column in ("outcome", "site", "offloads", "reaches", "anchors"):
            table.add_column(column, overflow="fold")
        for site in _ordered(report.sites):
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


def render_markdown(sites: list[TeethSite], heading: str = "## Offload teeth check") -> str:
    """A Markdown section; `gaps --format markdown` embeds it when a teeth report exists."""
    if not sites:
        return ""
    c = counts(sites)
    lines = [
        heading,
        "",
        f"{c['has-teeth']} with teeth · {c['toothless']} toothless · {c['unexercised']} unexercised",
        "",
    ]
    for outcome in OUTCOMES:
        chosen = [s for s in _ordered(sites) if s.outcome == outcome]
        if not chosen:
            continue
        lines += [f"<details{' open' if outcome == 'toothless' else ''}><summary><b>{outcome}</b> "
                  f"({len(chosen)}): {EXPLAIN[outcome]}</summary>", "",
                  "| site | offloads | reaches | anchors |", "|---|---|---|---|"]  # fmt: skip
        for s in chosen:
            anchors = "<br>".join(f"`{a}`" for a in s.anchors) or "-"
            lines.append(
                f"| `{s.path}:{s.line}` ({s.api}) | `{s.target or '?'}` | {', '.join(s.reaches)} | {anchors} |"
            )
        lines += ["", "</details>", ""]
    return "\n".join(lines)
