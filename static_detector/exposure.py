"""Where blocking primitives run on the loop: loop roots, reachability through sync helpers,
and one raw finding per loop-side call site (per rule)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared_rules import Match, ProjectConfig

from .callgraph import Edge, FunctionFacts, Primitive
from .resolver import FuncV, PartialV, Project
from .summarize import CallSite


@dataclass(frozen=True, slots=True)
class Step:
    function: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Witness:
    """The shortest known way from a function to a primitive of one rule."""

    match: Match
    steps: tuple[Step, ...]  # first: the function itself; last: the primitive symbol
    count: int = 1  # distinct primitive sites of this rule reachable

    def key(self) -> tuple[int, tuple[tuple[str, str, int], ...]]:
        return (len(self.steps), tuple((s.function, s.path, s.line) for s in self.steps))


@dataclass(frozen=True, slots=True)
class Root:
    qualname: str
    kind: str  # "async" | "callback" | "entrypoint"
    via: str  # how the loop runs it: "async def", "call_later", "loop-entrypoints"


@dataclass(slots=True)
class RawFinding:
    match: Match
    root: Root
    facts: FunctionFacts
    site: CallSite
    exposure: str  # direct | transitive | loop-callback
    steps: tuple[Step, ...]
    count: int
    also: tuple[str, ...] = ()  # other rules reached from the same call site ("BIO105 io.IOBase.write")


def _prim_step(facts: FunctionFacts, prim: Primitive) -> tuple[Step, Step]:
    path = facts.module.path
    return (
        Step(facts.qualname, path, prim.site.line),
        Step(prim.match.symbol, path, prim.site.line),
    )


def _better(new: Witness, old: Witness | None) -> bool:
    return old is None or new.key() < old.key()


def compute_reach(facts: dict[str, FunctionFacts]) -> dict[str, dict[str, Witness]]:
    """For every sync function: per rule, the shortest chain to a primitive it can run.

    Strongly connected components (recursion, mutual recursion) are solved to a fixpoint;
    the condensation is processed callees-first, so each function is finished once.
    """
    sync = {q: f for q, f in facts.items() if not f.is_async}
    graph = {
        q: sorted({e.callee for e in f.edges if e.consumed and e.callee in sync})
        for q, f in sync.items()
    }
    reach: dict[str, dict[str, Witness]] = {}
    for component in _sccs(graph):
        for q in component:
            reach[q] = _local(sync[q], sync)
        # callees outside the component are finished; inside it, iterate to a fixpoint
        changed = True
        while changed:
            changed = False
            for q in component:
                for edge in sync[q].edges:
                    if edge.consumed and edge.callee in reach:
                        changed |= _extend(reach[q], sync[q], edge, reach[edge.callee])
    return reach


def _local(f: FunctionFacts, sync: dict[str, FunctionFacts]) -> dict[str, Witness]:
    out: dict[str, Witness] = {}
    counts: dict[str, int] = {}
    for prim in f.prims:
        if not prim.consumed:
            continue
        rule = prim.match.rule.id
        counts[rule] = counts.get(rule, 0) + 1
        witness = Witness(prim.match, _prim_step(f, prim))
        if _better(witness, out.get(rule)):
            out[rule] = witness
    for edge in f.edges:
        callee = sync.get(edge.callee)
        if callee is None or not edge.consumed:
            continue
        for prim in callee.lazy_returns:  # `return root.glob(...)`, consumed by this caller
            rule = prim.match.rule.id
            counts[rule] = counts.get(rule, 0) + 1
            steps = (Step(f.qualname, f.module.path, edge.site.line), *_prim_step(callee, prim))
            witness = Witness(prim.match, steps)
            if _better(witness, out.get(rule)):
                out[rule] = witness
    return {rule: Witness(w.match, w.steps, counts[rule]) for rule, w in out.items()}


def _extend(
    target: dict[str, Witness], f: FunctionFacts, edge: Edge, callee_reach: dict[str, Witness]
) -> bool:
    changed = False
    head = Step(f.qualname, f.module.path, edge.site.line)
    for rule, witness in callee_reach.items():
        if any(step.function == f.qualname for step in witness.steps):
            continue  # no chains through ourselves
        candidate = Witness(witness.match, (head, *witness.steps), witness.count)
        old = target.get(rule)
        if _better(candidate, old):
            count = max(witness.count, old.count if old else 0)
            target[rule] = Witness(candidate.match, candidate.steps, count)
            changed = True
    return changed


def _sccs(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (call chains can be deeper than the recursion limit).
    Components come out in reverse topological order: callees before callers."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            children = graph.get(node, [])
            while child < len(children):
                nxt = children[child]
                child += 1
                if nxt not in index:
                    work.append((node, child))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def loop_roots(
    project: Project, facts: dict[str, FunctionFacts], config: ProjectConfig
) -> dict[str, Root]:
    roots: dict[str, Root] = {}
    facts = {q: f for q, f in facts.items() if f.module.origin == "project"}
    for qualname, f in facts.items():
        if f.is_async:
            roots[qualname] = Root(qualname, "async", "async def")
    for f in facts.values():
        for cb in f.callbacks:
            target = facts.get(cb.callee)
            if target is not None and not target.is_async and cb.callee not in roots:
                roots[cb.callee] = Root(cb.callee, "callback", cb.api.rsplit(".", 1)[-1])
    if config.settings.loop_entrypoints:
        for qualname, f in facts.items():
            if f.is_async or qualname in roots:
                continue
            if config.is_loop_entrypoint(qualname):
                roots[qualname] = Root(qualname, "entrypoint", "loop-entrypoints")
    return roots


def entrypoints(facts: dict[str, FunctionFacts], roots: dict[str, Root]) -> dict[str, list[str]]:
    """For each root: itself plus every async function that (transitively) awaits it or
    registers it as a callback: the entry points an anchor can drive to reach it."""
    callers: dict[str, set[str]] = {}
    for q, f in facts.items():
        if f.module.origin != "project":
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
    reach: dict[str, dict[str, Witness]],
) -> list[RawFinding]:
    out: list[RawFinding] = []
    for qualname in sorted(roots):
        root = roots[qualname]
        f = facts[qualname]
        sync_root = root.kind != "async"
        items: list[RawFinding] = []
        for prim in f.prims:
            if not prim.consumed:
                continue
            items.append(
                RawFinding(
                    prim.match, root, f, prim.site,
                    "loop-callback" if sync_root else "direct", _prim_step(f, prim), 1,
                )
            )  # fmt: skip
        for edge in f.edges:
            if not edge.consumed:
                continue
            callee_reach = reach.get(edge.callee, {})
            head = Step(f.qualname, f.module.path, edge.site.line)
            for rule in sorted(callee_reach):
                witness = callee_reach[rule]
                items.append(
                    RawFinding(
                        witness.match, root, f, edge.site,
                        "loop-callback" if sync_root else "transitive",
                        (head, *witness.steps), witness.count,
                    )
                )  # fmt: skip
            callee = facts.get(edge.callee)
            for prim in callee.lazy_returns if callee else ():
                steps = (head, *_prim_step(callee, prim))  # type: ignore[arg-type]
                items.append(
                    RawFinding(prim.match, root, f, edge.site,
                               "loop-callback" if sync_root else "transitive", steps, 1)
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


def iter_offloads(facts: dict[str, FunctionFacts]) -> Iterable[tuple[FunctionFacts, object]]:
    for qualname in sorted(facts):
        f = facts[qualname]
        for site in f.offloads:
            yield f, site
