"""CI thresholds: `--fail-on STATUS[:SEVERITY]` and ratcheting against a baseline gaps.json.

`--fail-on unguarded:medium` trips on any unguarded finding of medium or high severity;
`--fail-on failing` on any failing finding. `stale` is accepted as a status too (findings
left unclassified because a file changed since the reports were made).

With a baseline (a previous gaps.json), only findings that are new since it (by
fingerprint) or whose status got worse count. Worse, from best to worst: guarded,
runtime-blind, entry-anchored, unguarded, failing. A finding the baseline listed as stale
is known but of unknown status: it never counts as new or worse.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blocking_io.shared_rules.models import Severity
from blocking_io.shared_rules.reports import GapsReport

if TYPE_CHECKING:
    from .entries import Entry

BADNESS = {"guarded": 0, "runtime-blind": 1, "entry-anchored": 2, "unguarded": 3, "failing": 4}
STATUSES = ("failing", "runtime-blind", "guarded", "entry-anchored", "unguarded", "stale")
UNKNOWN = 99  # a baseline entry without a status (stale then): nothing is worse than it


@dataclass(frozen=True)
class FailOn:
    status: str
    severity: Severity | None = None

    def __str__(self) -> str:
        return f"{self.status}:{self.severity.value}" if self.severity else self.status

    def matches(self, entry: Entry) -> bool:
        if entry.label != self.status:
            return False
        if self.severity is None:
            return True
        try:
            return Severity.rank_of(entry.finding.severity) >= self.severity.rank
        except ValueError:
            return True  # a severity this version does not know: count it rather than hide it


def parse_fail_on(text: str) -> FailOn:
    """`unguarded`, `unguarded:high`; ValueError with a one-line reason otherwise."""
    status, _, severity = text.strip().partition(":")
    status = status.strip().lower()
    if status not in STATUSES:
        raise ValueError(
            f"--fail-on {text!r}: unknown status {status!r} (expected one of: "
            f"{', '.join(STATUSES)}, optionally with :low, :medium or :high)"
        )
    if not severity:
        return FailOn(status)
    try:
        return FailOn(status, Severity.parse(severity.strip()))
    except ValueError as exc:
        raise ValueError(f"--fail-on {text!r}: {exc}") from None


def regressions(entries: list[Entry], baseline: GapsReport) -> list[Entry]:
    """The entries that are new since `baseline` or whose status is worse than there."""
    before: dict[str, list[int]] = defaultdict(list)
    for gap in baseline.findings:
        before[gap.fingerprint].append(BADNESS.get(gap.status, UNKNOWN))
    for stale in baseline.stale:
        for fingerprint in stale.findings:
            before[fingerprint].append(UNKNOWN)
    now: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        now[entry.finding.fingerprint].append(entry)

    out: list[int] = []
    for fingerprint, current in now.items():
        # pair the worst current with the worst baseline entry of the same fingerprint
        old = sorted(before.get(fingerprint, []), reverse=True)
        ranked = sorted(
            current,
            key=lambda e: BADNESS.get(e.status, UNKNOWN) if e.status else UNKNOWN,
            reverse=True,
        )
        for index, entry in enumerate(ranked):
            if index >= len(old):
                out.append(id(entry))  # new since the baseline
            elif entry.status is not None and BADNESS[entry.status] > old[index]:
                out.append(id(entry))  # worse than before
    chosen = set(out)
    return [e for e in entries if id(e) in chosen]


def tripped(
    entries: list[Entry], rules: list[FailOn], baseline: GapsReport | None = None
) -> list[tuple[FailOn, list[Entry]]]:
    """For each rule that trips, the entries that trip it (in output order)."""
    pool = regressions(entries, baseline) if baseline is not None else entries
    out = []
    for rule in rules:
        hits = [e for e in pool if rule.matches(e)]
        if hits:
            out.append((rule, hits))
    return out
