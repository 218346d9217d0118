"""Which anchor to write next, and which anchors guard nothing the static side knows of.

Suggested anchors: every entry point of an unguarded or entry-anchored finding is a
candidate; an anchor that drives it would cover the findings it reaches. Ranked by the
covered severity weight (high 3, medium 2, low 1), then by how many findings, then
top-level entry points before the ones they await (the handler a request reaches before
the async helper it calls), then by specificity (fewer of its findings also reachable from
another candidate: a dedicated anchor), then by name, so the order is total and stable.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from blocking_io.shared_rules.models import Severity
from blocking_io.shared_rules.reports import Anchor, Finding, FunctionInfo, SuggestedAnchor

if TYPE_CHECKING:
    from .entries import Entry

WEIGHT = {"high": 3, "medium": 2, "low": 1}
OPEN_STATUSES = ("unguarded", "entry-anchored")


def weight(severity: str) -> int:
    return WEIGHT.get(severity, 1)


def anchor_command(entrypoint: str) -> str:
    return f"blocking-io anchor new {entrypoint}"


def _max_severity(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=Severity.rank_of, default="low")


def _where(
    entrypoint: str, reached: list[Finding], functions: dict[str, FunctionInfo]
) -> tuple[str, int]:
    info = functions.get(entrypoint)
    if info is not None:
        return info.path, info.span[0]
    for finding in reached:
        for step in finding.chain:
            if step.function == entrypoint:
                return step.path, step.line
    first = reached[0]
    return first.path, first.line


def _nested(entrypoint: str, finding: Finding) -> bool:
    """Whether `entrypoint` is awaited by another of the finding's entry points: it is on
    the finding's own chain (or holds its line) while another entry point is not."""
    inner = {finding.function, *(step.function for step in finding.chain)}
    return entrypoint in inner and any(e not in inner for e in finding.entrypoints)


def suggest_anchors(
    entries: list[Entry], functions: dict[str, FunctionInfo]
) -> list[SuggestedAnchor]:
    reach: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.status in OPEN_STATUSES:
            for entrypoint in dict.fromkeys(entry.finding.entrypoints):
                reach[entrypoint].append(entry)
    candidates_of: dict[int, int] = defaultdict(int)  # id(entry) -> how many candidates reach it
    for covered in reach.values():
        for entry in covered:
            candidates_of[id(entry)] += 1

    def key(item: tuple[str, list[Entry]]) -> tuple[int, int, int, int, str]:
        entrypoint, covered = item
        score = sum(weight(e.finding.severity) for e in covered)
        nested = sum(1 for e in covered if _nested(entrypoint, e.finding))
        shared = sum(1 for e in covered if candidates_of[id(e)] > 1)
        return (-score, -len(covered), nested, shared, entrypoint)

    out = []
    for entrypoint, covered in sorted(reach.items(), key=key):
        findings = [e.finding for e in covered]
        path, line = _where(entrypoint, findings, functions)
        out.append(
            SuggestedAnchor(
                entrypoint=entrypoint,
                path=path,
                line=line,
                unguarded=sum(1 for e in covered if e.status == "unguarded"),
                score=sum(weight(f.severity) for f in findings),
                max_severity=_max_severity(findings),
                findings=[f.fingerprint for f in findings],
                command=anchor_command(entrypoint),
                entry_anchored=sum(1 for e in covered if e.status == "entry-anchored"),
            )
        )
    return out


FAILING_OUTCOMES = ("failed", "error")


def failing_anchors(anchors: list[Anchor]) -> list[str]:
    """Anchors whose test failed or errored: fix them first; they guard nothing meanwhile."""
    return sorted(a.test for a in anchors if a.outcome in FAILING_OUTCOMES)


def idle_anchors(
    anchors: list[Anchor],
    findings: list[Finding],
    functions: dict[str, FunctionInfo],
    body_lines: Callable[[FunctionInfo], range],
) -> list[str]:
    """Passing anchors that executed no finding's line and no line of any finding's entry
    point. An anchor that failed or errored is never idle: it is failing (`failing_anchors`),
    whatever it ran before it stopped."""
    spans: dict[str, list[range]] = defaultdict(list)
    for finding in findings:
        spans[finding.path].append(range(finding.line, max(finding.end_line, finding.line) + 1))
        for entrypoint in finding.entrypoints:
            info = functions.get(entrypoint)
            if info is not None:
                spans[info.path].append(body_lines(info))
    # as sorted, merged intervals, not sets of lines: the work and memory stay bounded by
    # what the reports hold, whatever line numbers a damaged findings.json claims
    wanted = {path: _merged(ranges) for path, ranges in spans.items()}
    idle = []
    for anchor in anchors:
        if anchor.outcome in FAILING_OUTCOMES:
            continue
        if not any(
            _covers(wanted[path], line)
            for path, lines in anchor.executed.items()
            if path in wanted
            for line in lines
        ):
            idle.append(anchor.test)
    return sorted(idle)


def _merged(ranges: list[range]) -> tuple[list[int], list[int]]:
    """Starts and stops of the union of `ranges`, sorted and disjoint."""
    starts: list[int] = []
    stops: list[int] = []
    for r in sorted((r for r in ranges if r.start < r.stop), key=lambda r: r.start):
        if stops and r.start <= stops[-1]:
            stops[-1] = max(stops[-1], r.stop)
        else:
            starts.append(r.start)
            stops.append(r.stop)
    return starts, stops


def _covers(intervals: tuple[list[int], list[int]], line: int) -> bool:
    starts, stops = intervals
    i = bisect.bisect_right(starts, line) - 1
    return i >= 0 and line < stops[i]
