"""Which blocking primitives a sync function can run, under which conditions on its own
parameters, and the chain that shows it (condition-aware reachability).

Per rule, a worklist runs backwards from the functions that run a primitive of that rule,
over the consumed call edges. What travels is a `Cond`: the atoms (guards.py) that must
hold of the function's parameters for the primitive to run, and whether every such path
passes a lazy initialisation (runs once). At each edge the callee's atoms are judged
against the caller's arguments: discharged (the path cannot run from that call), kept on a
parameter of the caller it forwards, or dropped (not judged: sound). Conditions are small
sets; past `MAX_CONDS` per function the function reaches the rule unconditionally (sound).

Ties are broken by name and line and the worklist is first-in first-out, so chains are
short and deterministic. Chains are rebuilt on demand, for the sites a finding asks about.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

from blocking_io.shared_rules import Match
from blocking_io.shared_rules.reports import ChainStep

from .callgraph import Edge, FunctionFacts, Primitive
from .guards import ALWAYS, Atom, Binder, Guard, Test, Verdict, parameters
from .resolver import Scope

MAX_CONDS = 6


# Conditions and hops are NamedTuples rather than frozen dataclasses, whose every generated
# method is an exec at import; each is only ever compared with its own kind


class Cond(NamedTuple):
    guard: Guard  # over the function's parameters
    # every path to the primitive passes a lazy initialisation: the innermost one
    once: str | None = None


class PrimHop(NamedTuple):
    primitive: Primitive


class EdgeHop(NamedTuple):
    edge: Edge
    callee_cond: Cond  # the callee's condition this one was derived from


class LazyHop(NamedTuple):
    edge: Edge  # the call that returns a lazy iterator, consumed here
    callee: FunctionFacts
    primitive: Primitive  # the lazy primitive the callee returns


Hop = PrimHop | EdgeHop | LazyHop


@dataclass(frozen=True, slots=True)
class Witness:
    """A way from a function to a primitive of one rule."""

    match: Match
    steps: tuple[ChainStep, ...]  # first: the function itself; last: the primitive symbol
    count: int = 1  # distinct primitive sites of this rule in the function that runs it
    once: str | None = None
    # the function that runs the primitive, and the primitive (a lock's identity needs it)
    origin: tuple[FunctionFacts, Primitive] | None = field(default=None, compare=False)

    def key(self) -> tuple[bool, int, tuple[tuple[str, str, int], ...]]:
        return (
            self.once is not None,
            len(self.steps),
            tuple((s.function, s.path, s.line) for s in self.steps),
        )


_CONTRADICTIONS = (
    (Test.IS_NONE, Test.NOT_NONE),
    (Test.TRUTHY, Test.FALSY),
    (Test.IS_NONE, Test.TRUTHY),
    (Test.INSTANCE, Test.NOT_INSTANCE),
)


def satisfiable(guard: Guard) -> bool:
    tests: dict[str, set[Test]] = {}
    for atom in guard:
        tests.setdefault(atom.name, set()).add(atom.test)
    return not any(
        a in found and b in found for found in tests.values() for a, b in _CONTRADICTIONS
    )


def prim_steps(facts: FunctionFacts, prim: Primitive) -> tuple[ChainStep, ChainStep]:
    path = facts.module.path
    return (
        ChainStep(function=facts.qualname, path=path, line=prim.site.line),
        ChainStep(function=prim.match.symbol, path=path, line=prim.site.line),
    )


class Reach:
    def __init__(self, facts: dict[str, FunctionFacts], binder: Binder) -> None:
        self.sync = {q: f for q, f in facts.items() if not f.is_async}
        self.binder = binder
        self.table: dict[str, dict[str, dict[Cond, Hop]]] = {}  # rule -> function -> ...
        self.counts: dict[tuple[str, str], int] = {}
        self._memo: dict[tuple[str, str, Cond], Witness] = {}
        self._params: dict[str, frozenset[str]] = {}
        callers: dict[str, list[tuple[str, Edge]]] = {}
        for q in sorted(self.sync):
            for edge in self.sync[q].edges:
                if edge.consumed and edge.callee in self.sync:
                    callers.setdefault(edge.callee, []).append((q, edge))
        for edges in callers.values():
            edges.sort(key=lambda ce: (ce[0], ce[1].site.line, ce[1].site.col))
        sources: dict[str, list[tuple[str, Cond, Hop]]] = {}
        for q in sorted(self.sync):
            f = self.sync[q]
            for prim in sorted(f.prims, key=lambda p: (p.site.line, p.site.col)):
                if prim.consumed:
                    rule = prim.match.rule.id
                    cond = Cond(prim.guard, prim.once)
                    sources.setdefault(rule, []).append((q, cond, PrimHop(prim)))
                    self.counts[(q, rule)] = self.counts.get((q, rule), 0) + 1
        for q in sorted(self.sync):  # `return root.glob(...)`: blocks in a consuming caller
            f = self.sync[q]
            for edge in f.edges:
                callee = self.sync.get(edge.callee)
                if callee is None or not edge.consumed:
                    continue
                for returned in callee.lazy_returns:
                    lazy = LazyHop(edge, callee, returned)
                    sources.setdefault(returned.match.rule.id, []).append(
                        (q, Cond(edge.guard, edge.once), lazy)
                    )
        for rule in sorted(sources):
            table: dict[str, dict[Cond, Hop]] = {}
            queue: deque[tuple[str, Cond]] = deque()
            for q, cond, hop in sources[rule]:
                stored = _add(table, q, cond, hop)
                if stored is not None:
                    queue.append((q, stored))
            while queue:
                current, cond = queue.popleft()
                if cond not in table.get(current, {}):
                    continue  # collapsed since
                for caller, edge in callers.get(current, ()):
                    bound = self.bind(cond, edge, self.sync[caller])
                    if bound is None:
                        continue
                    stored = _add(table, caller, bound, EdgeHop(edge, cond))
                    if stored is not None:
                        queue.append((caller, stored))
            self.table[rule] = table

    # -- conditions at a call site -----------------------------------------------------------
    def params(self, facts: FunctionFacts) -> frozenset[str]:
        hit = self._params.get(facts.qualname)
        if hit is None:
            hit = self._params[facts.qualname] = parameters(facts.func)
        return hit

    def bind(self, cond: Cond, edge: Edge, caller: FunctionFacts) -> Cond | None:
        """The callee's condition seen from the caller at `edge`: None if the caller's
        arguments make it false, else over the caller's parameters (with the edge's own)."""
        once = cond.once or edge.once
        if not cond.guard:
            return Cond(edge.guard, once)
        callee = self.sync.get(edge.callee)
        if callee is None or edge.offset < 0:  # arguments that are not the callee's
            return Cond(edge.guard, once)
        fs = callee.func
        bound = self.binder.arguments(edge.site, fs, edge.offset)
        scope = Scope(caller.module, caller.func, caller.qualname)
        line = edge.site.line
        forwardable = frozenset(
            p for p in self.params(caller) if caller.func.assigned.get(p, line) >= line
        )
        atoms: set[Atom] = set(edge.guard)
        for atom in cond.guard:
            if atom.name in bound:
                verdict = self.binder.judge(
                    atom, bound[atom.name], scope, callee.module, forwardable
                )
            elif atom.name in fs.defaults:
                verdict = self.binder.judge_default(atom, fs.defaults[atom.name], callee.module)
            else:
                verdict = Verdict.UNKNOWN
            if verdict is Verdict.FAILS:
                return None
            if isinstance(verdict, Atom):
                atoms.add(verdict)
        guard = frozenset(atoms)
        return Cond(guard, once) if satisfiable(guard) else None

    def at(self, edge: Edge, caller: FunctionFacts) -> dict[str, Witness]:
        """Per rule the callee of `edge` reaches from this call: the best witness among the
        conditions the call's arguments leave possible (once only if all of them are)."""
        out: dict[str, Witness] = {}
        for rule in self.rules(edge.callee):
            conds = self.table[rule][edge.callee]
            best: Witness | None = None
            every_time = False
            for cond in conds:
                bound = self.bind(cond, edge, caller)
                if bound is None:
                    continue
                witness = self.witness(edge.callee, rule, cond)
                every_time = every_time or bound.once is None
                if best is None or witness.key() < best.key():
                    best = witness
            if best is not None:
                if every_time and best.once:
                    best = Witness(best.match, best.steps, best.count, None, best.origin)
                out[rule] = best
        return out

    def rules(self, qualname: str) -> list[str]:
        return sorted(rule for rule, table in self.table.items() if qualname in table)

    def get(self, qualname: str) -> dict[str, Witness]:
        """Per rule, the best witness from `qualname` whatever its arguments."""
        out = {}
        for rule in self.rules(qualname):
            conds = self.table[rule][qualname]
            out[rule] = min((self.witness(qualname, rule, c) for c in conds), key=Witness.key)
        return out

    def witness(self, qualname: str, rule: str, cond: Cond) -> Witness:
        key = (qualname, rule, cond)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        steps: list[ChainStep] = []
        table = self.table[rule]
        current, state = qualname, cond
        while True:
            f = self.sync[current]
            match table[current][state]:
                case PrimHop(primitive=prim):
                    steps.extend(prim_steps(f, prim))
                    origin = (f, prim)
                    break
                case LazyHop(edge=edge, callee=callee, primitive=prim):
                    steps.append(
                        ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
                    )
                    steps.extend(prim_steps(callee, prim))
                    origin = (callee, prim)
                    break
                case EdgeHop(edge=edge, callee_cond=callee_cond):
                    steps.append(
                        ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
                    )
                    current, state = edge.callee, callee_cond
        count = self.counts.get((steps[-2].function, rule), 1)
        witness = Witness(prim.match, tuple(steps), count, once=cond.once, origin=origin)
        self._memo[key] = witness
        return witness


def _add(table: dict[str, dict[Cond, Hop]], qualname: str, cond: Cond, hop: Hop) -> Cond | None:
    """Record `cond` for `qualname` unless a weaker one is there; the condition stored (to
    propagate further), or None."""
    conds = table.setdefault(qualname, {})
    if cond in conds:
        return None
    for known in conds:
        if known.guard <= cond.guard and (cond.once is not None or known.once is None):
            return None  # `known` holds whenever `cond` does, and is no rarer
    if len(conds) >= MAX_CONDS:
        # too many ways: this function reaches the rule whatever its arguments (the chain
        # shown is the first way found)
        every_once = cond.once is not None and all(c.once is not None for c in conds)
        collapsed = Cond(ALWAYS, once=cond.once if every_once else None)
        first = next(iter(conds.values()))
        conds.clear()
        conds[collapsed] = first
        return collapsed
    conds[cond] = hop
    return cond
