"""`--format text`: one block per finding, like ruff, with the call chain as evidence.

    packages/relay/storage/files.py:17:5: BIO103 [medium] `pathlib.Path.write_text` writes ...
        via relay.gateway.api.create_session (packages/relay/gateway/api.py:20)
        via relay.gateway.sessions.create (packages/relay/gateway/sessions.py:42)
        -> pathlib.Path.write_text (packages/relay/storage/files.py:17)
        fix: `await asyncio.to_thread(path.write_text, data)` ...

Columns are 1-based, as editors and ruff print them (and as findings.json has them).
Suppressed findings are only counted in the closing tally.
"""

from __future__ import annotations

from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import Finding, FindingsReport
from blocking_io.static_detector.output.report_view import active, error_key, tally, unused_key
from blocking_io.static_detector.output.report_view import route as chain_route

from .style import SEVERITY_STYLE, paint

MAX_OTHER_ENTRIES = 3


def render_text(report: FindingsReport, registry: Registry, *, color: bool = False) -> str:
    del registry  # the report carries everything the text format shows
    lines: list[str] = []
    for finding in active(report):
        lines += _finding_block(finding, color)
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


def _finding_block(finding: Finding, color: bool) -> list[str]:
    where = paint(f"{finding.path}:{finding.line}:{finding.column}", "bold", color)
    rule = paint(finding.rule, "bold red", color)
    severity = paint(f"[{finding.severity}]", SEVERITY_STYLE.get(finding.severity), color)
    block = [f"{where}: {rule} {severity} {finding.message}"]
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
