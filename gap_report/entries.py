"""What a gap report is made of: the statuses, one classified finding (`Entry`), the result
of a join, and the small summaries every output format shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from blocking_io.shared_rules.reports import Anchor, Finding, GapsReport, GapStatus, Library

PRECEDENCE: tuple[GapStatus, ...] = (
    "failing",
    "runtime-blind",
    "guarded",
    "entry-anchored",
    "unguarded",
)
STALE = "stale"  # not a status: the finding was left unclassified


def finding_key(finding: Finding) -> tuple[str, int, int, str, str]:
    return (finding.path, finding.line, finding.column, finding.rule, finding.fingerprint)


@dataclass(frozen=True)
class Entry:
    """One unsuppressed finding with its verdict (status None: stale, left unclassified)."""

    finding: Finding
    status: GapStatus | None
    anchors: tuple[str, ...]
    detail: str  # why, in one sentence a person reads
    module: str

    @property
    def label(self) -> str:
        return self.status or STALE


@dataclass
class GapResult:
    report: GapsReport
    entries: list[Entry]  # output order; stale ones included
    findings_path: str
    anchors_path: str
    anchors: list[Anchor]
    warnings: list[str] = field(default_factory=list)
    # why the anchors report is incomplete (a crashed xdist worker); empty when it is whole
    incomplete: list[str] = field(default_factory=list)
    # chain steps inside installed libraries (findings.json `libraries`): path -> distribution
    libraries: dict[str, Library] = field(default_factory=dict)

    def by_status(self, status: str) -> list[Entry]:
        return [e for e in self.entries if e.label == status]


LABELS = (*PRECEDENCE, STALE)


def module_counts(entries: list[Entry]) -> list[tuple[str, dict[str, int]]]:
    """Per module: counts per status label; most open (unguarded + failing) first."""
    groups: dict[str, dict[str, int]] = {}
    for entry in entries:
        counts = groups.setdefault(entry.module, dict.fromkeys(LABELS, 0))
        counts[entry.label] += 1
    return sorted(
        groups.items(),
        key=lambda item: (
            -(item[1]["failing"] + item[1]["unguarded"]),
            -sum(item[1].values()),
            item[0],
        ),
    )
