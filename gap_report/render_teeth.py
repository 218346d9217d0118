"""The teeth report as a Markdown section (`teeth --format markdown`, embedded by `gaps`), and
the counts and wording every rendering of it shares."""

from __future__ import annotations

from blocking_io.shared_rules.reports import TeethReport, TeethSite

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


def ordered(sites: list[TeethSite]) -> list[TeethSite]:
    return sorted(sites, key=lambda s: (OUTCOMES.index(s.outcome), s.path, s.line))


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
        chosen = [s for s in ordered(sites) if s.outcome == outcome]
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
