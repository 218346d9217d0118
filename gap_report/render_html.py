"""`--format html`: one self-contained page (inline CSS and JS, no network) to open in a browser.

Everything is rendered here, so the page reads without JavaScript: status cards, a stacked
bar per module (inline SVG), the suggested anchors, and one expandable row per finding
(`<details>`: code, chain, anchors, fix), most urgent first (status, then severity). The
messages' Markdown (code spans) is rendered, with markdown-it-py (rich's own dependency);
raw HTML in them is escaped, never interpreted. The script adds the status filter (with
counts) and nothing else. A Content-Security-Policy forbids any request, so the page cannot
leak code to the network and works offline. The layout holds down to a phone's width
(420 px): the chart scales, the suggestions table becomes one block per suggestion.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Mapping
from html import escape
from typing import Any

from blocking_io.shared_rules.models import Severity
from blocking_io.shared_rules.names import short_name
from blocking_io.shared_rules.reports import Library

from .entries import STALE, Entry, GapResult, module_counts
from .html_assets import CSS, JS
from .render_markdown import MEANING

ORDER = ("failing", "unguarded", "entry-anchored", "runtime-blind", "guarded", STALE)
COLOR = {
    "failing": "#c62828",
    "unguarded": "#ef6c00",
    "entry-anchored": "#f9a825",
    "runtime-blind": "#8e24aa",
    "guarded": "#2e7d32",
    STALE: "#9e9e9e",
}
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

BAR_W = 340  # the chart's own units: it scales to the page (a label above each bar)
ROW_H = 38
LABEL_H = 15


def _e(text: object) -> str:
    return escape(str(text), quote=True)


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # inline Markdown only: code spans, emphasis; no raw HTML, no links or images (the
    # messages come from rules and source code, and the page makes no requests)
    return MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink"])


def _md(text: str) -> str:
    """One line of our Markdown (`code`, *emphasis*) as HTML, everything else escaped."""
    return str(_markdown().renderInline(text))


def ordered_entries(entries: list[Entry]) -> list[Entry]:
    """Most urgent first: by status (failing, unguarded, ...), then severity, then place."""
    return sorted(
        entries,
        key=lambda e: (
            ORDER.index(e.label),
            -Severity.rank_of(e.finding.severity),
            e.finding.path,
            e.finding.line,
            e.finding.column,
            e.finding.rule,
        ),
    )


def _cards(result: GapResult) -> str:
    summary = result.report.summary
    out = ['<section id="summary" class="cards" aria-label="findings per status">']
    for status in ORDER:
        if status == STALE and not summary[STALE]:
            continue
        out.append(
            f'<div class="card" data-status="{status}" style="--c:{COLOR[status]}">'
            f'<div class="n">{summary[status]}</div><div class="label">{status}</div>'
            f'<div class="meaning">{_e(MEANING[status])}</div></div>'
        )
    out.append("</section>")
    return "\n".join(out)


def _chart(result: GapResult) -> str:
    rows = module_counts(result.entries)
    if not rows:
        return '<p class="empty">No findings.</p>'
    biggest = max(sum(counts.values()) for _, counts in rows)
    height = ROW_H * len(rows) + 4
    width = BAR_W + 40
    parts = [
        f'<svg id="module-chart" role="img" aria-label="findings per module by status" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (module, counts) in enumerate(rows):
        y = 2 + index * ROW_H
        parts.append(
            f'<g class="module" data-module="{_e(module)}">'
            f'<text x="0" y="{y + LABEL_H - 3}">{_e(module)}</text>'
        )
        x = 0.0
        for status in ORDER:
            count = counts.get(status, 0)
            if not count:
                continue
            w = BAR_W * count / biggest
            parts.append(
                f'<rect class="seg" data-status="{status}" data-count="{count}" x="{x:.1f}" '
                f'y="{y + LABEL_H}" width="{w:.1f}" height="{ROW_H - LABEL_H - 6}" '
                f'fill="{COLOR[status]}"><title>{_e(module)}: {count} {status}</title></rect>'
            )
            x += w
        total = sum(counts.values())
        parts.append(f'<text x="{x + 6:.1f}" y="{y + ROW_H - 10}" class="total">{total}</text></g>')
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key"><i style="background:{COLOR[s]}"></i>{s}</span>'
        for s in ORDER
        if s != STALE or result.report.summary[STALE]
    )
    return "\n".join(parts) + f'\n<div class="legend">{legend}</div>'


def _suggestions(result: GapResult) -> str:
    suggestions = result.report.suggested_anchors
    if not suggestions:
        return '<p class="empty">Nothing to suggest: no unguarded finding.</p>'
    by_fingerprint = {e.finding.fingerprint: e for e in result.entries}
    rows = [
        '<table class="suggestions"><thead><tr><th>#</th><th>entry point and the command '
        "that scaffolds its anchor</th><th>findings it reaches</th><th>score</th>"
        "<th>max severity</th></tr></thead><tbody>"
    ]
    for rank, s in enumerate(suggestions, 1):
        count = len(s.findings)
        reach = f"<b>{count}</b> finding{'' if count == 1 else 's'}"
        if s.entry_anchored:
            reach += f" ({s.entry_anchored} already anchored: add a case)"
        links = []
        for fp in s.findings:
            entry = by_fingerprint.get(fp)
            if entry is None:
                continue
            f = entry.finding
            links.append(
                f'<li><a href="#f-{_e(fp)}"><code>{_e(f.rule)}</code> '
                f"{_e(posixpath.basename(f.path))}:{f.line}</a> "
                f'<span class="status-{_e(entry.label)}">{_e(entry.label)}</span></li>'
            )
        rows.append(
            f'<tr><td data-label="#">{rank}</td><td data-label="entry point">'
            f"<code>{_e(s.entrypoint)}</code> "
            f'<span class="at">{_e(s.path)}:{s.line}</span><br>'
            f'<code class="cmd">{_e(s.command)}</code></td>'
            f'<td data-label="reaches">{reach}<ul class="links">{"".join(links)}</ul></td>'
            f'<td data-label="score">{s.score}</td>'
            f'<td data-label="max severity" class="sev-{_e(s.max_severity)}">'
            f"{_e(s.max_severity)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _finding(entry: Entry, libraries: Mapping[str, Library]) -> str:
    f = entry.finding
    chain = "".join(
        f'<li><code>{_e(step.function)}</code> <span class="at">{_e(step.path)}:{step.line}</span>'
        + _library(libraries.get(step.path))
        + "</li>"
        for step in f.chain
    )
    anchors = (
        '<ul class="anchors">'
        + "".join(f"<li><code>{_e(a)}</code></li>" for a in entry.anchors)
        + "</ul>"
        if entry.anchors
        else '<p class="none">none</p>'
    )
    entrypoints = ", ".join(f"<code>{_e(e)}</code>" for e in f.entrypoints) or "none"
    return (
        f'<details class="finding" id="f-{_e(f.fingerprint)}" data-status="{entry.label}" '
        f'data-severity="{_e(f.severity)}" data-module="{_e(entry.module)}">'
        f'<summary><span class="badge" style="--c:{COLOR[entry.label]}">{entry.label}</span>'
        f'<span class="sev sev-{_e(f.severity)}">{_e(f.severity)}</span>'
        f'<code class="rule">{_e(f.rule)}</code>'
        f'<span class="where">{_e(f.path)}:{f.line}</span>'
        f'<span class="fn">{_e(short_name(f.function))}</span></summary>'
        f'<div class="body"><p class="detail">{_md(entry.detail)}</p>'
        f'<pre class="code"><span class="ln">{f.line}</span>{_e(f.code)}</pre>'
        f'<p class="msg">{_md(f.message)}</p>'
        f'<h4>Call chain ({_e(f.exposure)})</h4><ol class="chain">{chain}</ol>'
        f"<h4>Entry points</h4><p>{entrypoints}</p>"
        f"<h4>Anchors</h4>{anchors}"
        f'<p class="fix"><b>Fix:</b> {_md(f.fix)}</p>'
        f'<p class="fp">{_e(f.symbol)} · fingerprint {_e(f.fingerprint)}</p></div></details>'
    )


def _library(library: Library | None) -> str:
    """A chain step inside an installed library: which distribution and version."""
    if library is None:
        return ""
    return f' <span class="lib">inside {_e(str(library))}</span>'


def _notes(result: GapResult) -> str:
    report = result.report
    out = []
    for warning in report.warnings:
        out.append(f'<p class="warning"><b>Warning:</b> {_e(warning)}</p>')
    if report.stale:
        items = "".join(f"<li><code>{_e(s.path)}</code>: {_e(s.reason)}</li>" for s in report.stale)
        out.append(
            f'<div class="warning" id="stale"><b>Stale:</b> {len(report.stale)} file(s) changed '
            f"since the reports were made; {report.summary[STALE]} finding(s) left unclassified."
            f"<ul>{items}</ul></div>"
        )
    return "\n".join(out)


TEETH_ORDER = ("toothless", "unexercised", "has-teeth")


def _lists(result: GapResult) -> str:
    report = result.report
    out = []
    if report.unmatched_violations:
        items = "".join(
            f"<li><code>{_e(v.path)}:{v.line}</code> {_e(v.rule)} <code>{_e(v.symbol)}</code> "
            f"in <code>{_e(v.test)}</code></li>"
            for v in report.unmatched_violations
        )
        out.append(
            f'<section id="unmatched"><h2>Violations no finding explains '
            f"({len(report.unmatched_violations)})</h2><ul>{items}</ul></section>"
        )
    if report.teeth:
        rows = "".join(
            f'<tr class="teeth-{_e(t.outcome)}"><td>{_e(t.outcome)}</td>'
            f"<td><code>{_e(t.path)}:{t.line}</code> {_e(t.api)}</td>"
            f"<td><code>{_e(t.target or '?')}</code></td><td>{_e(', '.join(t.reaches))}</td>"
            f"<td>{'<br>'.join(f'<code>{_e(a)}</code>' for a in t.anchors) or '-'}</td></tr>"
            for t in sorted(
                report.teeth, key=lambda t: (TEETH_ORDER.index(t.outcome), t.path, t.line)
            )
        )
        out.append(
            f'<section id="teeth"><h2>Offload teeth check ({len(report.teeth)})</h2>'
            "<p>Each offload of blocking work, reverted to run on the loop: does an anchor go red?</p>"
            '<div class="table-wrap"><table><thead><tr><th>outcome</th><th>site</th>'
            "<th>offloads</th><th>reaches</th>"
            f"<th>anchors</th></tr></thead><tbody>{rows}</tbody></table></div></section>"
        )
    if report.failing_anchors:
        items = "".join(f"<li><code>{_e(t)}</code></li>" for t in report.failing_anchors)
        out.append(
            f'<section id="failing-anchors"><h2>Failing anchors ({len(report.failing_anchors)})'
            "</h2><p>They failed or errored, so they guard nothing until they pass.</p>"
            f"<ul>{items}</ul></section>"
        )
    if report.idle_anchors:
        items = "".join(f"<li><code>{_e(t)}</code></li>" for t in report.idle_anchors)
        out.append(
            f'<section id="idle"><h2>Idle anchors ({len(report.idle_anchors)})</h2>'
            f"<p>They reach no finding the static side knows of.</p><ul>{items}</ul></section>"
        )
    return "\n".join(out)


def render_html(result: GapResult) -> str:
    summary = result.report.summary
    findings = (
        "\n".join(_finding(e, result.libraries) for e in ordered_entries(result.entries))
        or '<p class="empty">No findings.</p>'
    )
    version = result.report.tool.version
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>blocking-io coverage gaps</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>blocking-io coverage gaps</h1>
<p class="sub">{summary["findings"]} findings from <code>{_e(result.findings_path)}</code> joined with
{summary["anchors"]} runtime anchors from <code>{_e(result.anchors_path)}</code>
({summary["suppressed"]} suppressed). blocking-io {_e(version)}.</p>
</header>
<main>
{_cards(result)}
{_notes(result)}
<section id="modules"><h2>By module</h2>
{_chart(result)}
</section>
<section id="suggestions"><h2>Suggested anchors</h2>
{_suggestions(result)}
</section>
<section id="findings"><h2>Findings</h2>
<div id="filters" role="toolbar" aria-label="filter by status"></div>
<p id="shown" aria-live="polite"></p>
<div id="list">
{findings}
</div>
</section>
{_lists(result)}
</main>
<script>{JS}</script>
</body>
</html>
"""
