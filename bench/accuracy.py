"""Score tools against the corpus annotations, and diff the detector against them.

blocking-io is matched exactly on (path, line, rule). A peer hits an expected finding when it
reports any scored ASYNC code on that line (its rules have other ids); a peer report on any
other line is a false positive. Lines that expect a *suppressed* finding test our own
suppression comments, which the peers do not read: they are neutral for the peers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .corpus import Corpus, CorpusFile
from .detector import Reported
from .peers import PeerReport

BLOCKING_IO = "blocking-io"


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    ok_total: int = 0
    ok_flagged: int = 0  # must-not-flag lines that were flagged (a subset of the FPs' lines)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.ok_total += other.ok_total
        self.ok_flagged += other.ok_flagged

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_dict(self) -> dict[str, object]:
        return {
            "tp": self.tp,
            "fn": self.fn,
            "fp": self.fp,
            "ok_total": self.ok_total,
            "ok_flagged": self.ok_flagged,
            "precision": self.precision,
            "recall": self.recall,
        }


@dataclass
class ToolScore:
    tool: str
    missing: str | None = None  # why the tool could not run
    total: Score = field(default_factory=Score)
    by_feature: dict[str, Score] = field(default_factory=dict)
    hits: list[tuple[str, int, str]] = field(default_factory=list)  # expected findings found
    false_positives: list[tuple[str, int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "missing": self.missing,
            "total": self.total.as_dict(),
            "by_feature": {k: v.as_dict() for k, v in sorted(self.by_feature.items())},
            "hits": [list(h) for h in self.hits],
            "false_positives": [list(f) for f in self.false_positives],
        }


def _by_path(items: Iterable[Reported | PeerReport]) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for item in items:
        grouped[item.path].append(item)
    return grouped


def _file_score(
    f: CorpusFile,
    expected_hit: set[tuple[int, str]],
    wrong: set[tuple[int, str]],
    flagged_lines: set[int],
) -> Score:
    expected = f.scored_keys()
    return Score(
        tp=len(expected & expected_hit),
        fn=len(expected - expected_hit),
        fp=len(wrong),
        ok_total=len(f.ok),
        ok_flagged=len(set(f.ok) & flagged_lines),
    )


def score_blocking_io(corpus: Corpus, reported: Iterable[Reported]) -> ToolScore:
    result = ToolScore(BLOCKING_IO)
    grouped = _by_path(reported)
    for f in corpus.files:
        mine = [r for r in grouped.get(f.rel, []) if not r.suppressed]
        got = {(r.line, r.rule) for r in mine}
        expected = f.scored_keys()
        wrong = got - f.expected_keys()
        got |= {use for r in mine for use in r.listed}
        score = _file_score(f, got & expected, wrong, {line for line, _ in got})
        _record(result, f, score)
        result.hits += [(f.rel, line, rule) for line, rule in sorted(got & expected)]
        result.false_positives += [(f.rel, line, rule) for line, rule in sorted(wrong)]
    return result


def score_peer(tool: str, corpus: Corpus, reports: Iterable[PeerReport]) -> ToolScore:
    result = ToolScore(tool)
    grouped = _by_path(r for r in reports if r.scored)
    for f in corpus.files:
        got = {(r.line, r.code) for r in grouped.get(f.rel, [])}
        lines = {line for line, _ in got}
        expected = f.scored_keys()  # a peer reports a listed object use on its own line
        neutral = set(f.expect) | set(f.suppressed) | set(f.listed)
        hit = {(line, rule) for line, rule in expected if line in lines}
        wrong = {(line, code) for line, code in got if line not in neutral}
        _record(result, f, _file_score(f, hit, wrong, lines))
        result.hits += [(f.rel, line, rule) for line, rule in sorted(hit)]
        result.false_positives += [(f.rel, line, code) for line, code in sorted(wrong)]
    return result


def _record(result: ToolScore, f: CorpusFile, score: Score) -> None:
    result.total.add(score)
    result.by_feature.setdefault(f.feature, Score()).add(score)


def missing_tool(tool: str, reason: str) -> ToolScore:
    return ToolScore(tool, missing=reason)


# -- the corpus test's diff ---------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    kind: str  # "missing" | "unexpected"
    path: str
    line: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind:<11} {self.path}:{self.line} {self.rule} {self.detail}"


def diff_file(f: CorpusFile, reported: Iterable[Reported]) -> list[Mismatch]:
    """Mismatches between a file's annotations and the detector's findings, in line order."""
    mine = [r for r in reported if r.path == f.rel]
    got = {(r.line, r.rule) for r in mine if not r.suppressed}
    got_suppressed = {(r.line, r.rule) for r in mine if r.suppressed}
    out: list[Mismatch] = []
    for line, rule in sorted(f.expected_keys() - got):
        how = "reported suppressed" if (line, rule) in got_suppressed else "not reported"
        out.append(Mismatch("missing", f.rel, line, rule, f"({how})"))
    listed = {use for r in mine for use in r.listed}
    for line, rule in sorted(f.listed_keys() - listed):
        out.append(Mismatch("missing", f.rel, line, rule, "(not listed on its object's maker)"))
    for line, rule in sorted(f.suppressed_keys() - got_suppressed):
        how = "reported unsuppressed" if (line, rule) in got else "not reported"
        out.append(Mismatch("missing", f.rel, line, rule, f"suppressed ({how})"))
    expected_any = f.expected_keys() | f.suppressed_keys()
    seen: set[tuple[int, str, bool]] = set()
    for r in mine:
        if (r.line, r.rule) in expected_any or (r.line, r.rule, r.suppressed) in seen:
            continue
        seen.add((r.line, r.rule, r.suppressed))
        where = f"ok: {f.ok[r.line]}" if r.line in f.ok else "no annotation"
        state = "[suppressed] " if r.suppressed else ""
        out.append(
            Mismatch("unexpected", f.rel, r.line, r.rule, f"{state}{r.describe()} ({where})")
        )
    return sorted(out, key=lambda m: (m.line, m.kind, m.rule))
