"""`--format markdown`: a pull-request comment.

A short summary table first (what a reviewer sees without clicking), then one collapsible
`<details>` section per status with its findings, then the suggested anchors. GitHub renders
Markdown inside `<details>` only with a blank line after `<summary>`.
"""

from __future__ import annotations

from blocking_io.shared_rules.names import short_name

from .entries import STALE, Entry, GapResult

MARK = {
    "failing": "❌",
    "unguarded": "⚠️",
    "entry-anchored": "🟡",
    "runtime-blind": "🙈",
    "guarded": "✅",
    STALE: "⏳",
}
ORDER = ("failing", "unguarded", "entry-anchored", "runtime-blind", "guarded", STALE)
MEANING = {
    "failing": "an anchor run caught it blocking the loop",
    "unguarded": "nothing under the gate reaches it",
    "entry-anchored": "an anchored entry point reaches it, but no anchor drives this line",
    "runtime-blind": "the gate cannot intercept this primitive: only the static side guards it",
    "guarded": "its line ran under the gate in a passing anchor",
    STALE: "not classified: a file changed since the reports were made",
}
TOP_SUGGESTIONS = 10


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell (pipes and newlines would break the row)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def code(text: str) -> str:
    text = cell(text)
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _finding_rows(entries: list[Entry]) -> list[str]:
    rows = [
        "| severity | rule | where | function | why |",
        "|---|---|---|---|---|",
    ]
    for entry in entries:
        f = entry.finding
        why = cell(entry.detail)
        if entry.anchors:
            why += " (" + ", ".join(code(a) for a in entry.anchors[:3])
            why += f", +{len(entry.anchors) - 3} more)" if len(entry.anchors) > 3 else ")"
        rows.append(
            f"| {f.severity} | {f.rule} | {code(f'{f.path}:{f.line}')} | "
            f"{code(short_name(f.function))} | {why} |"
        )
    return rows


def render_markdown(result: GapResult, *, top: int = TOP_SUGGESTIONS) -> str:
    report = result.report
    summary = report.summary
    lines = [
        "## blocking-io coverage gaps",
        "",
        f"{summary['findings']} findings from `{result.findings_path}` joined with "
        f"{summary['anchors']} runtime anchors from `{result.anchors_path}`.",
        "",
        "| status | findings | meaning |",
        "|---|---:|---|",
    ]
    for status in ORDER:
        if status == STALE and not summary[STALE]:
            continue
        lines.append(f"| {MARK[status]} {status} | {summary[status]} | {MEANING[status]} |")
    if summary["suppressed"]:
        lines.append(f"| suppressed | {summary['suppressed']} | not counted |")
    lines.append("")
    for warning in report.warnings:
        lines += [f"> **Warning:** {warning}", ""]
    if report.stale:
        lines.append(
            f"> **Stale:** {len(report.stale)} file(s) changed since the reports were made; "
            f"{summary[STALE]} finding(s) left unclassified:"
        )
        lines += [f"> - `{s.path}`: {s.reason}" for s in report.stale]
        lines.append("")

    suggestions = report.suggested_anchors[:top]
    if suggestions:
        lines += [
            "### Suggested anchors",
            "",
            "| # | entry point | findings | score | max severity | scaffold |",
            "|---:|---|---:|---:|---|---|",
        ]
        for rank, s in enumerate(suggestions, 1):
            reach = str(len(s.findings))
            if s.entry_anchored:
                reach += f" ({s.entry_anchored} already anchored)"
            lines.append(
                f"| {rank} | {code(s.entrypoint)} ({code(f'{s.path}:{s.line}')}) | {reach} | "
                f"{s.score} | {s.max_severity} | {code(s.command)} |"
            )
        if len(report.suggested_anchors) > top:
            lines.append("")
            lines.append(f"… and {len(report.suggested_anchors) - top} more in gaps.json.")
        lines.append("")

    for status in ORDER:
        entries = result.by_status(status)
        if not entries:
            continue
        lines += [
            "<details>",
            f"<summary><b>{status}</b> ({len(entries)}): {MEANING[status]}</summary>",
            "",
            *_finding_rows(entries),
            "",
            "</details>",
            "",
        ]
    if report.teeth:
        from .render_teeth import render_markdown as teeth_markdown

        lines += [teeth_markdown(report.teeth, heading="### Offload teeth check"), ""]
    if report.unmatched_violations:
        lines += [
            "<details>",
            f"<summary><b>violations no finding explains</b> "
            f"({len(report.unmatched_violations)})</summary>",
            "",
            "| where | rule | primitive | anchor |",
            "|---|---|---|---|",
        ]
        for v in report.unmatched_violations:
            lines.append(
                f"| {code(f'{v.path}:{v.line}')} | {v.rule} | {code(v.symbol)} | {code(v.test)} |"
            )
        lines += ["", "</details>", ""]
    if report.failing_anchors:
        lines += [
            "<details open>",
            f"<summary><b>failing anchors</b> ({len(report.failing_anchors)}): they failed or "
            "errored, so they guard nothing until they pass</summary>",
            "",
            *[f"- {code(test)}" for test in report.failing_anchors],
            "",
            "</details>",
            "",
        ]
    if report.idle_anchors:
        lines += [
            "<details>",
            f"<summary><b>idle anchors</b> ({len(report.idle_anchors)}): they reach no "
            "finding</summary>",
            "",
            *[f"- {code(test)}" for test in report.idle_anchors],
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
