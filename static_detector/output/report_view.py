"""What every output format agrees on: finding order, counts, the tally line, the call route.

One home for these so `text`, `summary`, `sarif` and `github` never disagree about which
findings are shown, in which order, or how many there were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from blocking_io.shared_rules.models import Severity
from blocking_io.shared_rules.reports import (
    ChainStep,
    ErrorEntry,
    Finding,
    FindingsReport,
    UnusedSuppression,
)

EXPOSURES = ("direct", "transitive", "loop-callback")


def finding_key(finding: Finding) -> tuple[str, int, int, str, int, int, str]:
    """Output order: path, line, column, rule (then the rest, so ties never depend on input)."""
    return (
        finding.path,
        finding.line,
        finding.column,
        finding.rule,
        finding.end_line,
        finding.end_column,
        finding.fingerprint,
    )


def error_key(error: ErrorEntry) -> tuple[str, int, str, str]:
    return (error.path, error.line or 0, error.kind, error.message)


def unused_key(unused: UnusedSuppression) -> tuple[str, int, list[str]]:
    return (unused.path, unused.line, unused.rules)


def normalized(report: FindingsReport) -> FindingsReport:
    """The report with findings, errors and unused suppressions in output order."""
    return report.model_copy(
        update={
            "findings": sorted(report.findings, key=finding_key),
            "errors": sorted(report.errors, key=error_key),
            "unused_suppressions": sorted(report.unused_suppressions, key=unused_key),
        }
    )


def active(report: FindingsReport) -> list[Finding]:
    """The findings a user has to act on (not suppressed), in output order."""
    return sorted((f for f in report.findings if f.suppressed is None), key=finding_key)


def suppressed(report: FindingsReport) -> list[Finding]:
    return sorted((f for f in report.findings if f.suppressed is not None), key=finding_key)


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts per severity, high first; severities this version does not know come last."""
    counts = Counter(f.severity for f in findings)
    known = {s: counts.pop(s) for s in Severity.ordered() if s in counts}
    return known | dict(sorted(counts.items()))


def max_severity(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=lambda s: (Severity.rank_of(s), s), default="")


def error_files(report: FindingsReport) -> int:
    return len({e.path for e in report.errors})


def route(finding: Finding) -> list[ChainStep]:
    """The call chain from the async entry point down to the function with the primitive.

    A chain that already ends in the primitive itself loses that step: the primitive is
    printed once, from the finding's own location.
    """
    chain = list(finding.chain)
    if chain and chain[-1].function == finding.symbol:
        chain.pop()
    return chain


def route_names(finding: Finding) -> list[str]:
    """`entry -> helper -> ... -> primitive` as names, for one-line messages."""
    return [step.function for step in route(finding)] + [finding.symbol]


def described(finding: Finding) -> str:
    """The finding's message; for a call reached through other functions, with the route."""
    if finding.exposure == "direct":
        return finding.message
    return f"{finding.message} (via {' -> '.join(route_names(finding)[:-1])})"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def tally(report: FindingsReport) -> str:
    """`Found 12 findings (3 high, 7 medium, 2 low); 1 suppressed; 2 files with errors.`"""
    shown = active(report)
    if shown:
        by_severity = ", ".join(f"{n} {s}" for s, n in severity_counts(shown).items())
        parts = [f"Found {plural(len(shown), 'finding')} ({by_severity})"]
    else:
        parts = ["No findings"]
    hidden = len(report.findings) - len(shown)
    if hidden:
        parts.append(f"{hidden} suppressed")
    if report.unused_suppressions:
        parts.append(plural(len(report.unused_suppressions), "unused suppression"))
    if report.errors:
        parts.append(f"{plural(error_files(report), 'file')} with errors")
    return "; ".join(parts) + "."
