"""Raw findings -> report findings: messages, priority, fingerprints, suppressions; offloads."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from blocking_io.shared_rules.names import short_name
from blocking_io.shared_rules.noqa import noqa_aliases, rules_for
from blocking_io.shared_rules.reports import (
    ChainStep,
    Exposure,
    Finding,
    LockHolder,
    Offload,
    Suppression,
    UnusedSuppression,
    priority,
)

from . import ir
from .callgraph import Classifier, FunctionFacts
from .exposure import RawFinding, RootKind, target_name
from .reach import Reach, Witness
from .summary import CallSite, ModuleSummary
from .suppressions import Suppression as Comment
from .values import FuncV, PartialV

SourceLines = Callable[[str], list[str]]  # project-relative path -> its lines


def message_for(raw: RawFinding) -> str:
    rule = raw.match.rule
    text = rule.render_message(raw.match.symbol)
    depth = len(raw.steps) - 2
    if raw.exposure is Exposure.TRANSITIVE:
        helper = short_name(raw.steps[1].function)
        calls = f"{depth} call{'s' if depth != 1 else ''} deep"
        text += f", reached through `{helper}()` ({calls})"
    elif raw.exposure is Exposure.LOOP_CALLBACK:
        via = (
            "a framework hook listed in loop-entrypoints"
            if raw.root.kind is RootKind.ENTRYPOINT
            else f"a callback the loop runs ({raw.root.via})"
        )
        where = short_name(raw.root.qualname)
        if depth >= 1:
            text += f", reached through `{short_name(raw.steps[1].function)}()` from `{where}`"
        else:
            text += f", in `{where}`"
        text += f", {via}"
    if raw.holder is not None:
        blocking = raw.holder.witness.steps[-1].function
        text += (
            f"; `{short_name(raw.holder.function)}` holds `{short_name(raw.holder.lock)}` "
            f"while it runs `{blocking}` ({raw.holder.path}:{raw.holder.line})"
        )
    if raw.once is not None:
        text += "; a lazy initialisation: it blocks on the first call"
        if raw.other_entries:
            n = len(raw.other_entries)
            text += f", here or at {n} other place{'s' if n != 1 else ''} that may run first"
    reached = [str(a) for a in raw.also if a.line is None]
    if reached:
        text += f" (this call also reaches {', '.join(reached)})"
    used = [str(a) for a in raw.also if a.line is not None]
    if used:
        text += f" (then, on the object it returns: {', '.join(used)})"
    if raw.count > 1:
        text += (
            f" (and {raw.count - 1} more {rule.id} call{'s' if raw.count > 2 else ''} on that path)"
        )
    p = priority(rule.severity.rank, raw.impact)
    return f"{text}. [P{p}: {rule.severity.value} {rule.category}, {raw.impact}]"


def fix_for(raw: RawFinding) -> str:
    """The change to make at the reported place: the rule's fix for a primitive called right
    there; for a call that reaches one through helpers, how to take that call off the loop
    (the innermost primitive's fix is someone else's code, often a library's)."""
    rule = raw.match.rule
    if raw.holder is not None:
        holder = short_name(raw.holder.function)
        return (
            f"Keep `{short_name(raw.holder.lock)}` out of blocking work: in `{holder}`, do the "
            f"blocking call outside the `with` block (hold the lock only to read or update "
            f"shared state), or take it off the loop here: `await asyncio.to_thread(...)`."
        )
    if len(raw.steps) <= 2:
        return rule.fix
    call = call_text(raw.site)
    if raw.exposure is Exposure.LOOP_CALLBACK:
        text = (
            f"A sync callback cannot await: hand the call to a thread, "
            f"`loop.run_in_executor(None, {call})`, or make the callback schedule async work."
        )
    else:
        text = f"Take the call off the loop: `await asyncio.to_thread({call})`."
    if raw.once is not None:
        text += " Or initialise it once at start-up, off the loop, so requests find it ready."
    return text


def call_text(site: CallSite) -> str:
    """`self.app.dispatch, body` for `self.app.dispatch(body)`: to_thread's arguments."""
    parts = [ir.render(site.func) if ir.dotted(site.func) else "fn"]
    for arg in site.args:
        parts.append(_arg_text(arg))
    for key, value in site.kwargs:
        parts.append(f"{key}={_arg_text(value)}")
    if site.unpacks or any(p == "..." for p in parts):
        return f"{parts[0]}, ..."
    return ", ".join(parts)


def _arg_text(arg: ir.Expr) -> str:
    if ir.dotted(arg) is not None:
        return ir.dotted(arg) or "..."
    if isinstance(arg, ir.Const) and arg.value != "":
        return repr(arg.value)
    return "..."


@dataclass
class SuppressionIndex:
    """The suppression comments of every scanned module (`# blocking-io: ignore[...]`, and
    `# noqa: ...` with ruff's and flake8-async's ASYNC2xx codes or ours), and which got used."""

    by_path: dict[str, dict[int, Comment]]
    used: set[tuple[str, int]]
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)  # ASYNC2xx -> rule ids

    @classmethod
    def build(cls, modules: dict[str, ModuleSummary]) -> SuppressionIndex:
        by_path = {m.path: m.suppressions for m in modules.values() if m.suppressions}
        noqa = any(c.noqa for comments in by_path.values() for c in comments.values())
        return cls(by_path, set(), noqa_aliases() if noqa else {})

    def find(self, rule: str, places: list[tuple[str, int]]) -> Suppression | None:
        for path, line in places:
            comment = self.by_path.get(path, {}).get(line)
            if comment is None:
                continue
            if comment.noqa:
                if rule not in rules_for(comment.rules, self.aliases):
                    continue
                self.used.add((path, line))
                return Suppression(
                    by=f"# noqa: {', '.join(comment.rules)} at {path}:{line}",
                    reason="(a noqa comment)",
                )
            if comment.rules and rule not in comment.rules:
                continue
            self.used.add((path, line))
            label = ",".join(comment.rules) if comment.rules else ""
            return Suppression(
                by=f"# blocking-io: ignore[{label}] at {path}:{line}",
                reason=comment.reason or "(no reason given)",
            )
        return None

    def unused(self) -> list[UnusedSuppression]:
        """Comments that suppressed nothing. A noqa comment counts only for the BIO codes it
        names: its ASYNC2xx codes may well be used by ruff or flake8-async."""
        out = []
        for path in sorted(self.by_path):
            for line, comment in sorted(self.by_path[path].items()):
                if (path, line) in self.used:
                    continue
                rules = list(comment.rules)
                if comment.noqa:
                    rules = [code for code in rules if code.startswith("BIO")]
                    if not rules:
                        continue
                out.append(UnusedSuppression(path=path, line=line, rules=rules))
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
        """The 1-based character column of ast's 0-based byte offset (editors, ruff, SARIF)."""
        found = self.get(path, line)
        return 1 + (byte_col if found is None else found.column(byte_col))

    def code(self, path: str, line: int, column: int) -> str:
        found = self.get(path, line)
        if found is None:
            return ""
        code = found.excerpt(column - 1)
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
                exposure=raw.exposure,
                chain=list(raw.steps),
                code=code,
                message=message_for(raw),
                fix=fix_for(raw),
                suppressed=suppressions.find(rule.id, places),
                statement_line=raw.site.stmt_line or raw.site.line,
                impact=raw.impact,
                holder=LockHolder(lock=raw.holder.lock, chain=list(raw.holder.steps()))
                if raw.holder
                else None,
                other_entries=list(raw.other_entries),
                also=list(raw.also),
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
                witnesses = reach.get(target.qualname)
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
