"""`--output-format full` (the default; `text` is its old name) and `concise`, like ruff's.

full: one block per finding, the call chain as evidence; the first line is what happens,
the second how bad and how it is reached:

    packages/relay/storage/files.py:17:5: BIO103 `pathlib.Path.write_text` writes a whole file ...
        medium, transitive, P2: reached through `save_blob()` (1 call deep)
        via relay.gateway.api.create_session (packages/relay/gateway/api.py:20)
        via relay.gateway.sessions.create (packages/relay/gateway/sessions.py:42)
        -> pathlib.Path.write_text (packages/relay/storage/files.py:17)
        fix: `await asyncio.to_thread(path.write_text, data)` ...

concise: one line per finding, for grep, editors and CI logs:

    packages/relay/storage/files.py:17:5: BIO103 `pathlib.Path.write_text` writes ... (1 call deep)

Columns are 1-based, as editors and ruff print them (and as findings.json has them).
Suppressed findings are only counted in the closing tally.
"""

from __future__ import annotations

import re

from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import Finding, FindingsReport
from blocking_io.static_detector.output.report_view import active, error_key, tally, unused_key
from blocking_io.static_detector.output.report_view import route as chain_route

from .style import SEVERITY_STYLE, paint

MAX_OTHER_ENTRIES = 3
# the message's closing tag, `. [P2: medium file-open, request]`: the priority, severity
# and impact it repeats are shown on their own line (full) or not at all (concise)
_TAG = re.compile(r"\.?\s*\[P\d: [^\]]*\]\s*$")


def split_message(finding: Finding, registry: Registry) -> tuple[str, str]:
    """(what happens, how it is reached and what else the call does).

    The first part is the rule's own message for the symbol; the rest is what the detector
    added to it. A message in another shape is kept whole as the first part."""
    message = finding.message
    tag = _TAG.search(message)
    if tag:
        message = message[: tag.start()]
    rule = registry.get(finding.rule)
    base = rule.render_message(finding.symbol).rstrip(". ") if rule else ""
    if base and message.startswith(base):
        return base, message[len(base) :].strip(" ,.;")
    return message.rstrip(". "), ""


def concise_message(finding: Finding) -> str:
    """The message without its closing tag: one line, for `concise`."""
    tag = _TAG.search(finding.message)
    return (finding.message[: tag.start()] if tag else finding.message).rstrip(". ")


def render_text(
    report: FindingsReport, registry: Registry, *, color: bool = False, concise: bool = False
) -> str:
    lines: list[str] = []
    findings = active(report)  # file order: concise lines are for editors and grep
    if not concise:  # the full text leads with what to fix first (P1), then file order
        findings.sort(key=lambda f: f.priority)
    for finding in findings:
        if concise:
            lines.append(_concise_line(finding, color))
        else:
            lines += _finding_block(finding, registry, color)
            lines.append("")
    if concise and lines:
        lines.append("")
    for error in sorted(report.errors, key=error_key):
        where = error.path if error.line is None else f"{error.path}:{error.line}"
        label = paint("error", "bold red", color)
        lines.append(f"{paint(where, 'bold', color)}: {label}: {error.kind}: {error.message}")
    for unused in sorted(report.unused_suppressions, key=unused_key):
        where = paint(f"{unused.path}:{unused.line}", "bold", color)
        label = paint("warning", "yellow", color)
        rules = ", ".join(unused.rules) or "all rules"
        lines.append(f"{where}: {label}: unused suppression for {rules} (no finding here)")
    if report.errors or report.unused_suppressions:
        lines.append("")
    lines.append(paint(tally(report), "bold", color))
    return "\n".join(lines) + "\n"


def _where(finding: Finding, color: bool) -> str:
    return paint(f"{finding.path}:{finding.line}:{finding.column}", "bold", color)


def _concise_line(finding: Finding, color: bool) -> str:
    rule = paint(finding.rule, "bold red", color)
    return f"{_where(finding, color)}: {rule} {concise_message(finding)}"


def _finding_block(finding: Finding, registry: Registry, color: bool) -> list[str]:
    headline, extra = split_message(finding, registry)
    rule = paint(finding.rule, "bold red", color)
    block = [f"{_where(finding, color)}: {rule} {headline}"]
    severity = paint(finding.severity, SEVERITY_STYLE.get(finding.severity), color)
    how = f"{severity}, {finding.exposure}, {finding.impact}, P{finding.priority}"
    block.append(f"    {how}: {extra}" if extra else f"    {how}")
    for step in chain_route(finding):
        block.append(paint(f"    via {step.function} ({step.path}:{step.line})", "dim", color))
    last = finding.chain[-1] if finding.chain else None
    if last is not None and last.function == finding.symbol:
        block.append(f"    -> {finding.symbol} ({last.path}:{last.line})")
    else:
        block.append(f"    -> {finding.symbol} ({finding.path}:{finding.line})")
    first = finding.chain[0].function if finding.chain else None
    others = sorted({e for e in finding.entrypoints if e != first})
    if others:
        shown = ", ".join(others[:MAX_OTHER_ENTRIES])
        more = len(others) - MAX_OTHER_ENTRIES
        suffix = f" and {more} more" if more > 0 else ""
        block.append(paint(f"    also reached from {shown}{suffix}", "dim", color))
    if finding.fix:
        block.append(f"    {paint('fix:', 'green', color)} {finding.fix}")
    return block
