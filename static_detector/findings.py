"""Raw findings -> report findings: messages, priority, fingerprints, suppressions; offloads."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from blocking_io.shared_rules.names import short_name
from blocking_io.shared_rules.reports import (
    ChainStep,
    Finding,
    Offload,
    Suppression,
    UnusedSuppression,
)

from .callgraph import Classifier, FunctionFacts
from .exposure import RawFinding, Reach, Witness, target_name
from .resolver import FuncV, PartialV
from .summary import ModuleSummary
from .suppressions import Suppression as Comment

SourceLines = Callable[[str], list[str]]  # project-relative path -> its lines


def priority(severity_rank: int, exposure: str, depth: int) -> int:
    """P1 (fix first) .. P4: severity first; deep transitive chains are a notch lower."""
    return min(4, 4 - severity_rank + (1 if exposure == "transitive" and depth >= 3 else 0))


def message_for(raw: RawFinding) -> str:
    rule = raw.match.rule
    text = rule.render_message(raw.match.symbol)
    depth = len(raw.steps) - 2
    if raw.exposure == "transitive":
        helper = short_name(raw.steps[1].function)
        calls = f"{depth} call{'s' if depth != 1 else ''} deep"
        text += f", reached through `{helper}()` ({calls})"
    elif raw.exposure == "loop-callback":
        via = (
            "a framework hook listed in loop-entrypoints"
            if raw.root.kind == "entrypoint"
            else f"a callback the loop runs ({raw.root.via})"
        )
        where = short_name(raw.root.qualname)
        if depth >= 1:
            text += f", reached through `{short_name(raw.steps[1].function)}()` from `{where}`"
        else:
            text += f", in `{where}`"
        text += f", {via}"
    if raw.also:
        text += f" (this call also reaches {', '.join(raw.also)})"
    if raw.count > 1:
        text += (
            f" (and {raw.count - 1} more {rule.id} call{'s' if raw.count > 2 else ''} on that path)"
        )
    p = priority(rule.severity.rank, raw.exposure, depth)
    return f"{text}. [P{p}: {rule.severity.value} {rule.category}, {raw.exposure}]"


@dataclass
class SuppressionIndex:
    """`# blocking-io: ignore[...]` comments of every scanned module, and which got used."""

    by_path: dict[str, dict[int, Comment]]
    used: set[tuple[str, int]]

    @classmethod
    def build(cls, modules: dict[str, ModuleSummary]) -> SuppressionIndex:
        return cls({m.path: m.suppressions for m in modules.values() if m.suppressions}, set())

    def find(self, rule: str, places: list[tuple[str, int]]) -> Suppression | None:
        for path, line in places:
            comment = self.by_path.get(path, {}).get(line)
            if comment is None or (comment.rules and rule not in comment.rules):
                continue
            self.used.add((path, line))
            label = ",".join(comment.rules) if comment.rules else ""
            return Suppression(
                by=f"# blocking-io: ignore[{label}] at {path}:{line}",
                reason=comment.reason or "(no reason given)",
            )
        return None

    def unused(self) -> list[UnusedSuppression]:
        out = []
        for path in sorted(self.by_path):
            for line, comment in sorted(self.by_path[path].items()):
                if (path, line) not in self.used:
                    out.append(UnusedSuppression(path=path, line=line, rules=list(comment.rules)))
        return out


# What a finding or offload carries of its source line: the line (stripped) when it is
# short, else a window of it around the call, marked with an ellipsis where it is cut. A
# finding once held the whole line: 16,000 calls on one 240 kB line were 3.9 GB of findings.
MAX_CODE = 200  # characters of `code`, ellipses included
CODE_LEAD = 60  # characters of a long line kept before the call
ELLIPSIS = "\u2026"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(slots=True)
class _Line:
    """What the findings need of one source line, computed once however many calls it holds
    (each is O(line length): per call it was O(calls x length) work on a long line)."""

    text: str
    start: int  # the stripped line is text[start:end]
    end: int
    chars: list[int]  # the index of each non-ASCII character (none: an ASCII line)
    bytes_at: list[int]  # the UTF-8 offset of each of those, for bisecting byte -> char

    @classmethod
    def of(cls, text: str) -> _Line:
        body = text.lstrip()
        start = len(text) - len(body)
        end = start + len(body.rstrip())
        chars: list[int] = []
        bytes_at: list[int] = []
        if not text.isascii():
            shift = 0  # bytes beyond one per character, so far
            for m in _NON_ASCII.finditer(text):
                chars.append(m.start())
                bytes_at.append(m.start() + shift)
                shift += len(m.group().encode("utf-8", "surrogatepass")) - 1
        return cls(text, start, end, chars, bytes_at)

    def column(self, byte_col: int) -> int:
        """ast columns count UTF-8 bytes; editors, SARIF and humans count characters."""
        k = bisect.bisect_left(self.bytes_at, byte_col)  # non-ASCII characters before it
        if k == 0:
            return byte_col
        last, last_byte = self.chars[k - 1], self.bytes_at[k - 1]
        width = len(self.text[last].encode("utf-8", "surrogatepass"))
        # inside a character (not where ast points): counted as one, as a decoder would
        return last + 1 + max(0, byte_col - last_byte - width)

    def excerpt(self, char_col: int) -> str:
        """The stripped line, or a MAX_CODE-character window of it around `char_col`."""
        if self.end - self.start <= MAX_CODE:
            return self.text[self.start : self.end]
        room = MAX_CODE - 2 * len(ELLIPSIS)
        lo = max(self.start, min(char_col - CODE_LEAD, self.end - room))
        hi = min(self.end, lo + room)
        head = ELLIPSIS if lo > self.start else ""
        tail = ELLIPSIS if hi < self.end else ""
        return f"{head}{self.text[lo:hi].strip()}{tail}"


class _LineIndex:
    """`_Line`s of the scanned sources, each built on first use."""

    def __init__(self, lines: SourceLines) -> None:
        self._lines = lines
        self._cache: dict[tuple[str, int], _Line | None] = {}
        self._codes: dict[str, str] = {}  # one object per excerpt text (calls in a row)

    def get(self, path: str, line: int) -> _Line | None:
        key = (path, line)
        if key not in self._cache:
            source = self._lines(path)
            self._cache[key] = _Line.of(source[line - 1]) if 0 < line <= len(source) else None
        return self._cache[key]

    def column(self, path: str, line: int, byte_col: int) -> int:
        found = self.get(path, line)
        return byte_col if found is None else found.column(byte_col)

    def code(self, path: str, line: int, char_col: int) -> str:
        found = self.get(path, line)
        if found is None:
            return ""
        code = found.excerpt(char_col)
        return self._codes.setdefault(code, code)


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def build_findings(
    raws: list[RawFinding],
    entrypoints: dict[str, list[str]],
    suppressions: SuppressionIndex,
    lines: SourceLines,
) -> list[Finding]:
    occurrences: Counter[tuple[str, ...]] = Counter()
    out: list[Finding] = []
    ordered = sorted(
        raws, key=lambda r: (r.facts.module.path, r.site.line, r.site.col, r.match.rule.id)
    )
    index = _LineIndex(lines)
    for raw in ordered:
        path = raw.facts.module.path
        column = index.column(path, raw.site.line, raw.site.col)
        code = index.code(path, raw.site.line, column)
        rule = raw.match.rule
        chain_names = tuple(step.function for step in raw.steps)
        key = (rule.id, path, raw.root.qualname, raw.match.symbol, *chain_names, code)
        occurrences[key] += 1
        fingerprint = _fingerprint(*key, str(occurrences[key]))
        def_line = raw.facts.func.line
        places = [(path, raw.site.line), (path, def_line)]
        places += [(step.path, step.line) for step in raw.steps[1:]]
        out.append(
            Finding(
                fingerprint=fingerprint,
                rule=rule.id,
                severity=rule.severity.value,
                category=rule.category,
                symbol=raw.match.symbol,
                path=path,
                line=raw.site.line,
                column=column,
                end_line=raw.site.end_line,
                end_column=index.column(path, raw.site.end_line, raw.site.end_col),
                function=raw.root.qualname,
                function_span=(def_line, raw.facts.func.end_line),
                entrypoints=entrypoints.get(raw.root.qualname, [raw.root.qualname]),
                exposure=raw.exposure,  # type: ignore[arg-type]
                chain=list(raw.steps),
                code=code,
                message=message_for(raw),
                fix=rule.fix,
                suppressed=suppressions.find(rule.id, places),
                statement_line=raw.site.stmt_line or raw.site.line,
            )
        )
    return out


def build_offloads(
    facts: dict[str, FunctionFacts],
    reach: Reach,
    classifier: Classifier,
    lines: SourceLines,
) -> list[Offload]:
    occurrences: Counter[tuple[str, ...]] = Counter()
    out: list[Offload] = []
    index = _LineIndex(lines)
    for qualname in sorted(facts):
        f = facts[qualname]
        path = f.module.path
        for site in sorted(f.offloads, key=lambda o: (o.site.line, o.site.col)):
            target = site.target
            while isinstance(target, PartialV):
                target = target.func
            witnesses: dict[str, Witness] = {}
            if isinstance(target, FuncV):
                witnesses = dict(reach.get(target.qualname, {}))
                callee = facts.get(target.qualname)
                if callee is not None and callee.is_async:
                    witnesses = {}
            else:
                match = classifier.match(target)
                if match is not None:
                    step = ChainStep(function=match.symbol, path=path, line=site.site.line)
                    witnesses = {match.rule.id: Witness(match, (step,))}
            best = min(witnesses.values(), key=Witness.key) if witnesses else None
            column = index.column(path, site.site.line, site.site.col)
            code = index.code(path, site.site.line, column)
            name = target_name(target)
            key = (path, qualname, site.api, name or "?", code)
            occurrences[key] += 1
            out.append(
                Offload(
                    fingerprint=_fingerprint("offload", *key, str(occurrences[key])),
                    path=path,
                    line=site.site.line,
                    column=column,
                    function=qualname,
                    api=site.api,
                    target=name,
                    reaches=sorted(witnesses),
                    chain=list(best.steps) if best else [],
                    statement_line=site.site.stmt_line or site.site.line,
                )
            )
    return out
