"""Where blocking primitives run on the loop: loop roots, reachability through sync helpers,
and one raw finding per loop-side call site (per rule)."""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

from blocking_io.shared_rules import Match, ProjectConfig
from blocking_io.shared_rules.reports import ChainStep, Exposure

from .callgraph import Edge, FunctionFacts, Primitive
from .resolver import Resolver
from .summary import CallSite, Origin
from .values import FuncV, PartialV


@dataclass(frozen=True, slots=True)
class Witness:
    """The shortest known way from a function to a primitive of one rule."""

    match: Match
    steps: tuple[ChainStep, ...]  # first: the function itself; last: the primitive symbol
    count: int = 1  # distinct primitive sites of this rule reachable

    def key(self) -> tuple[int, tuple[tuple[str, str, int], ...]]:
        return (len(self.steps), tuple((s.function, s.path, s.line) for s in self.steps))


class RootKind(enum.Enum):
    """Why the loop runs a function."""

    ASYNC = "async"  # an async def
    CALLBACK = "callback"  # a sync callable handed to a loop callback API (call_soon, ...)
    ENTRYPOINT = "entrypoint"  # a sync hook named by `loop-entrypoints`


@dataclass(frozen=True, slots=True)
class Root:
    qualname: str
    kind: RootKind
    via: str  # how the loop runs it, for messages: "async def", "call_later", ...


@dataclass(slots=True)
class RawFinding:
    match: Match
    root: Root
    facts: FunctionFacts
    site: CallSite
    exposure: Exposure
    steps: tuple[ChainStep, ...]
    count: int
    # other rules reached from the same call site ("BIO105 io.IOBase.write")
    also: tuple[str, ...] = ()


def _prim_step(facts: FunctionFacts, prim: Primitive) -> tuple[ChainStep, ChainStep]:
    path = facts.module.path
    return (
        ChainStep(function=facts.qualname, path=path, line=prim.site.line),
        ChainStep(function=prim.match.symbol, path=path, line=prim.site.line),
    )


# How a function reaches a rule's primitive on its shortest path: directly, through a
# call to another function, or through a call whose returned lazy iterator it consumes.


@dataclass(frozen=True, slots=True)
class PrimHop:
    primitive: Primitive


@dataclass(frozen=True, slots=True)
class EdgeHop:
    edge: Edge


@dataclass(frozen=True, slots=True)
class LazyHop:
    edge: Edge  # the call that returns the iterator
    callee: FunctionFacts
    primitive: Primitive  # the lazy primitive the callee returns


Hop = PrimHop | EdgeHop | LazyHop


class Reach:
    """Shortest chains from sync functions to the primitives they can run, per rule.

    One breadth-first search per rule, backwards from the functions that run a primitive
    of it, over the (consumed) call edges: O(rules x (functions + calls)), whatever the
    call graph's cycles. Recursion needs no special case (a shortest path never repeats a
    function). Ties are broken by name and line, so chains are deterministic. Chains are
    rebuilt on demand, only for the functions a finding or an offload asks about.
    """

    def __init__(self, facts: dict[str, FunctionFacts]) -> None:
        self.sync = {q: f for q, f in facts.items() if not f.is_async}
        self.hops: dict[str, dict[str, Hop]] = {}  # rule -> function -> first hop
        self.counts: dict[tuple[str, str], int] = {}
        self._memo: dict[tuple[str, str], Witness] = {}
        callers: dict[str, list[tuple[str, Edge]]] = {}
        for q in sorted(self.sync):
            for edge in self.sync[q].edges:
                if edge.consumed and edge.callee in self.sync:
                    callers.setdefault(edge.callee, []).append((q, edge))
        for edges in callers.values():
            edges.sort(key=lambda ce: (ce[0], ce[1].site.line, ce[1].site.col))
        sources: dict[str, list[tuple[str, Hop]]] = {}
        for q in sorted(self.sync):
            f = self.sync[q]
            for prim in sorted(f.prims, key=lambda p: (p.site.line, p.site.col)):
                if prim.consumed:
                    rule = prim.match.rule.id
                    sources.setdefault(rule, []).append((q, PrimHop(prim)))
                    self.counts[(q, rule)] = self.counts.get((q, rule), 0) + 1
        lazy_first: dict[str, list[tuple[str, Hop]]] = {}
        for q in sorted(self.sync):  # `return root.glob(...)`: blocks in a consuming caller
            f = self.sync[q]
            for edge in f.edges:
                callee = self.sync.get(edge.callee)
                if callee is None or not edge.consumed:
                    continue
                for prim in callee.lazy_returns:
                    lazy_first.setdefault(prim.match.rule.id, []).append(
                        (q, LazyHop(edge, callee, prim))
                    )
        for rule in sorted(set(sources) | set(lazy_first)):
            hops: dict[str, Hop] = {}
            frontier: deque[str] = deque()
            for level in (sources.get(rule, []), lazy_first.get(rule, [])):
                for q, hop in level:
                    if q not in hops:
                        hops[q] = hop
                        frontier.append(q)
            while frontier:
                current = frontier.popleft()
                for caller, edge in callers.get(current, ()):
                    if caller not in hops:
                        hops[caller] = EdgeHop(edge)
                        frontier.append(caller)
            self.hops[rule] = hops

    def rules(self, qualname: str) -> list[str]:
        return sorted(rule for rule, hops in self.hops.items() if qualname in hops)

    def get(self, qualname: str, default: object = None) -> dict[str, Witness]:
        """Per rule, the witness chain from `qualname` (empty if it reaches nothing)."""
        return {rule: self.witness(qualname, rule) for rule in self.rules(qualname)}

    def witness(self, qualname: str, rule: str) -> Witness:
        key = (qualname, rule)
        if key in self._memo:
            return self._memo[key]
        steps: list[ChainStep] = []
        current = qualname
        hops = self.hops[rule]
        while True:
            f = self.sync[current]
            match hops[current]:
                case PrimHop(primitive=prim):
                    steps.extend(_prim_step(f, prim))
                    break
                case LazyHop(edge=edge, callee=callee, primitive=prim):
                    steps.append(
                        ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
                    )
                    steps.extend(_prim_step(callee, prim))
                    break
                case EdgeHop(edge=edge):
                    steps.append(
                        ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
                    )
                    current = edge.callee
        witness = Witness(prim.match, tuple(steps), self.counts.get((steps[-2].function, rule), 1))
        self._memo[key] = witness
        return witness


def compute_reach(facts: dict[str, FunctionFacts]) -> Reach:
    return Reach(facts)


def loop_roots(
    resolver: Resolver, facts: dict[str, FunctionFacts], config: ProjectConfig
) -> dict[str, Root]:
    roots: dict[str, Root] = {}
    facts = {q: f for q, f in facts.items() if f.module.origin is Origin.PROJECT}
    for qualname, f in facts.items():
        if f.is_async:
            roots[qualname] = Root(qualname, RootKind.ASYNC, "async def")
    for f in facts.values():
        for cb in f.callbacks:
            target = facts.get(cb.callee)
            if target is not None and not target.is_async and cb.callee not in roots:
                roots[cb.callee] = Root(cb.callee, RootKind.CALLBACK, cb.api.rsplit(".", 1)[-1])
    if config.settings.loop_entrypoints:
        for qualname, f in facts.items():
            if f.is_async or qualname in roots:
                continue
            if config.is_loop_entrypoint(qualname):
                roots[qualname] = Root(qualname, RootKind.ENTRYPOINT, "loop-entrypoints")
    return roots


def entrypoints(facts: dict[str, FunctionFacts], roots: dict[str, Root]) -> dict[str, list[str]]:
    """For each root: itself plus every async function that (transitively) awaits it or
    registers it as a callback: the entry points an anchor can drive to reach it."""
    callers: dict[str, set[str]] = {}
    for q, f in facts.items():
        if f.module.origin is not Origin.PROJECT:
            continue
        if f.is_async:
            for callee in f.async_calls:
                callers.setdefault(callee, set()).add(q)
        for cb in f.callbacks:
            callers.setdefault(cb.callee, set()).add(q)
        if not f.is_async:
            # sync functions registered as loop roots by async code through a sync helper
            continue
    out: dict[str, list[str]] = {}
    for root in roots:
        seen = {root}
        todo = [root]
        while todo:
            current = todo.pop()
            for caller in callers.get(current, ()):
                if caller not in seen and (facts[caller].is_async or caller in roots):
                    seen.add(caller)
                    todo.append(caller)
        out[root] = sorted(seen)
    return out


def raw_findings(
    facts: dict[str, FunctionFacts],
    roots: dict[str, Root],
    reach: Reach,
) -> list[RawFinding]:
    out: list[RawFinding] = []
    for qualname in sorted(roots):
        root = roots[qualname]
        f = facts[qualname]
        sync_root = root.kind is not RootKind.ASYNC
        items: list[RawFinding] = []
        for prim in f.prims:
            if not prim.consumed:
                continue
            items.append(
                RawFinding(
                    prim.match, root, f, prim.site,
                    Exposure.LOOP_CALLBACK if sync_root else Exposure.DIRECT, _prim_step(f, prim), 1,
                )
            )  # fmt: skip
        for edge in f.edges:
            if not edge.consumed:
                continue
            callee_reach = reach.get(edge.callee, {})
            head = ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
            for rule in sorted(callee_reach):
                witness = callee_reach[rule]
                items.append(
                    RawFinding(
                        witness.match, root, f, edge.site,
                        Exposure.LOOP_CALLBACK if sync_root else Exposure.TRANSITIVE,
                        (head, *witness.steps), witness.count,
                    )
                )  # fmt: skip
            callee = facts.get(edge.callee)
            for prim in callee.lazy_returns if callee else ():
                steps = (head, *_prim_step(callee, prim))  # type: ignore[arg-type]
                items.append(
                    RawFinding(prim.match, root, f, edge.site,
                               Exposure.LOOP_CALLBACK if sync_root else Exposure.TRANSITIVE, steps, 1)
                )  # fmt: skip
        # one finding per place a developer must change: a loop-side call site reaching
        # several rules is reported once, for its most severe (then nearest, first) primitive
        items.sort(key=_primary_order)
        by_site: dict[tuple[int, int], RawFinding] = {}
        for item in items:
            key = (item.site.line, item.site.col)
            first = by_site.get(key)
            if first is None:
                by_site[key] = item
                out.append(item)
            elif item.match.rule.id != first.match.rule.id:
                label = f"{item.match.rule.id} {item.match.symbol}"
                if label not in first.also:
                    first.also = (*first.also, label)
    return out


def _primary_order(r: RawFinding) -> tuple[int, int, int, int, int, str]:
    return (
        r.site.line,
        r.site.col,
        -r.match.rule.severity.rank,
        len(r.steps),
        r.steps[-1].line,
        r.match.rule.id,
    )


def target_name(value: object) -> str | None:
    if isinstance(value, PartialV):
        return target_name(value.func)
    if isinstance(value, FuncV):
        return value.qualname
    symbol = getattr(value, "symbol", None)
    if isinstance(symbol, str):
        return symbol
    cls, method = getattr(value, "cls", None), getattr(value, "method", None)
    if isinstance(cls, str) and isinstance(method, str):
        return f"{cls}.{method}"
    return None
