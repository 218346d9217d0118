"""Where blocking primitives run on the loop: loop roots, reachability through sync helpers,
and one raw finding per loop-side call site (per rule)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from blocking_io.shared_rules import Match, MethodHook, ProjectConfig, Registry
from blocking_io.shared_rules.reports import ChainStep, Exposure, Impact, Reached

from . import ir
from .callgraph import Classifier, FunctionFacts, Primitive, nonblocking
from .locks import LOCK_CATEGORY, Contention, Holder
from .reach import Reach, prim_steps
from .resolver import Resolver, Scope
from .summary import CallSite, FuncSummary, ModuleSummary, Origin
from .values import FuncV, PartialV


class RootKind(enum.Enum):
    """Why the loop runs a function."""

    ASYNC = "async"  # an async def
    CALLBACK = "callback"  # a sync callable handed to a loop callback API (call_soon, ...)
    ENTRYPOINT = "entrypoint"  # a sync hook named by `loop-entrypoints`
    FRAMEWORK = "framework"  # a sync method or decorated function a framework pack names


class Root(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    qualname: str
    kind: RootKind
    via: str  # how the loop runs it, for messages: "async def", "call_later", ...
    lifecycle: bool = False  # a framework runs it at start-up or shut-down only


@dataclass(slots=True)
class RawFinding:
    match: Match
    root: Root
    facts: FunctionFacts
    site: CallSite
    exposure: Exposure
    steps: tuple[ChainStep, ...]
    count: int
    once: str | None = None  # a lazy initialisation (which one): blocks on a first call only
    holder: Holder | None = None  # a thread lock: who holds it while blocking
    impact: Impact = Impact.REQUEST
    # a lazy initialisation reported once: the other loop-side places that run it first
    other_entries: tuple[ChainStep, ...] = ()
    # other rules reached from the same call site ("BIO105 io.IOBase.write")
    also: tuple[Reached, ...] = ()
    lock_unknown: bool = False  # a thread lock whose holders cannot be found (kept: sound)


def loop_roots(
    resolver: Resolver,
    facts: dict[str, FunctionFacts],
    config: ProjectConfig,
    framework: dict[str, Root] | None = None,
) -> dict[str, Root]:
    roots: dict[str, Root] = {}
    facts = {q: f for q, f in facts.items() if f.module.origin is Origin.PROJECT}
    for qualname, f in facts.items():
        if f.is_async:
            roots[qualname] = Root(qualname, RootKind.ASYNC, "async def")
    for qualname, root in sorted((framework or {}).items()):
        if qualname in facts and not facts[qualname].is_async:
            roots[qualname] = root
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


def framework_roots(
    resolver: Resolver, registry: Registry, classifier: Classifier
) -> dict[str, Root]:
    """Sync project functions a framework runs on the loop without the project registering
    them anywhere it can see: methods of subclasses of a framework class (`loop_method`:
    `Protocol.data_received`, `RequestHandler.get`) and functions under a framework
    decorator (`loop_decorator`: `@callback`). A function under a thread decorator
    (`@work(thread=True)`) or an offload decorator (`@run_on_executor`) runs elsewhere."""
    roots: dict[str, Root] = {}
    canonical = resolver.types.canonical
    hooks: dict[str, list[MethodHook]] = {}
    for hook in registry.loop_methods:
        for base in hook.bases:
            hooks.setdefault(canonical(base), []).append(hook)
    if hooks:
        for cls, (module, _) in sorted(resolver.classes.items()):
            if module.origin is Origin.PROJECT:
                _method_roots(resolver, cls, hooks, roots)
    decorators = registry.loop_decorators | registry.thread_decorators
    if decorators:
        last = {d.rpartition(".")[2] for d in decorators}
        for qualname, module, fs in list(resolver.iter_functions()):
            if module.origin is not Origin.PROJECT or fs.is_async or not fs.decorators:
                continue
            names: set[str] = set()
            off_loop = False
            for deco in fs.decorators:
                name = _decorator_name(resolver, module, fs, deco, last)
                if name is None:
                    continue
                names.add(name)
                # `@get("/", sync_to_thread=True)`: this decorator's arguments move it off the loop
                conditions = registry.off_loop_if.get(name, ())
                off_loop |= isinstance(deco, ir.Call) and nonblocking(conditions, deco)
            if off_loop or names & registry.thread_decorators:
                roots.pop(qualname, None)
            elif qualname not in roots and (hit := names & registry.loop_decorators):
                via = "@" + min(hit).rpartition(".")[2]
                once = bool(hit & registry.lifecycle_apis)
                roots[qualname] = Root(qualname, RootKind.FRAMEWORK, via, lifecycle=once)
    for qualname in list(roots):
        if classifier.offload_decorator(FuncV(qualname)):
            del roots[qualname]
    return roots


def _method_roots(
    resolver: Resolver, cls: str, hooks: dict[str, list[MethodHook]], roots: dict[str, Root]
) -> None:
    mro = resolver.mro(cls)
    # the framework's own classes when the framework itself is scanned: canonical names
    canonical = resolver.types.canonical
    matched = [(base, hook) for base in mro for hook in hooks.get(canonical(base), ())]
    if not matched:
        return
    for klass in mro:
        hit = resolver.classes.get(klass)
        if hit is None:
            continue
        for name in hit[1].methods:
            for base, hook in matched:
                if not hook.names(name):
                    continue
                member = resolver.class_member(cls, name)
                if not isinstance(member, FuncV) or member.qualname in roots:
                    break
                found = resolver.functions.get(member.qualname)
                if found is None or found[0].origin is not Origin.PROJECT or found[1].is_async:
                    break
                if hook.async_twin and _overrides(resolver, cls, base, hook.async_twin, name):
                    break
                via = f"{base.rpartition('.')[2]}.{name}"
                roots[member.qualname] = Root(member.qualname, RootKind.FRAMEWORK, via)
                break


def _overrides(resolver: Resolver, cls: str, base: str, twin: str, name: str) -> bool:
    """Does `cls` (or a project class between it and `base`) define the async twin?"""
    member = resolver.class_member(cls, twin.format(name=name))
    return isinstance(member, FuncV) and not member.qualname.startswith(base + ".")


def _decorator_name(
    resolver: Resolver, module: ModuleSummary, fs: FuncSummary, deco: ir.Expr, last: set[str]
) -> str | None:
    target = deco.func if isinstance(deco, ir.Call) else deco
    written = ir.dotted(target)
    if written is None or written.rpartition(".")[2] not in last:
        return None  # cheap: only names that end like a framework decorator are resolved
    qualname = f"{module.module}.{fs.qualname}"
    scope = resolver.enclosing(Scope(module, fs, qualname))
    name = target_name(resolver.eval(scope, target))
    return resolver.types.canonical(name) if name else None


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
    # the callers that carry an entry point on: async ones and other roots (once, not once
    # per root that reaches them)
    up = {
        callee: [c for c in them if facts[c].is_async or c in roots]
        for callee, them in callers.items()
    }
    out: dict[str, list[str]] = {}
    for root in roots:
        seen = {root}
        todo = [root]
        while todo:
            for caller in up.get(todo.pop(), ()):
                if caller not in seen:
                    seen.add(caller)
                    todo.append(caller)
        out[root] = sorted(seen)
    return out


def raw_findings(
    facts: dict[str, FunctionFacts],
    roots: dict[str, Root],
    reach: Reach,
    contention: Contention | None = None,
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
            raw = RawFinding(
                prim.match, root, f, prim.site,
                Exposure.LOOP_CALLBACK if sync_root else Exposure.DIRECT,
                prim_steps(f, prim), 1, once=prim.once,
            )  # fmt: skip
            if _contended(raw, (f, prim), contention):
                items.append(raw)
        for edge in f.edges:
            if not edge.consumed:
                continue
            head = ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
            reached = reach.at(edge, f)
            for rule in sorted(reached):
                witness = reached[rule]
                raw = RawFinding(
                    witness.match, root, f, edge.site,
                    Exposure.LOOP_CALLBACK if sync_root else Exposure.TRANSITIVE,
                    (head, *witness.steps), witness.count, once=witness.once or edge.once,
                )  # fmt: skip
                if _contended(raw, witness.origin, contention):
                    items.append(raw)
            callee = facts.get(edge.callee)
            for prim in callee.lazy_returns if callee else ():
                steps = (head, *prim_steps(callee, prim))  # type: ignore[arg-type]
                items.append(
                    RawFinding(
                        prim.match, root, f, edge.site,
                        Exposure.LOOP_CALLBACK if sync_root else Exposure.TRANSITIVE,
                        steps, 1, once=edge.once,
                    )
                )  # fmt: skip
        items = _fold_object_uses(f, items)
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
                known = item.match.known  # from the knowledge base: the library's primitive
                symbol = known.primitive if known else item.match.symbol
                label = Reached(rule=item.match.rule.id, symbol=symbol)
                if label not in first.also:
                    first.also = (*first.also, label)
    return out


def _fold_object_uses(f: FunctionFacts, items: list[RawFinding]) -> list[RawFinding]:
    """`with open(p) as fh: fh.write(x)` is one place to change, not two: a direct finding
    on a method of a local object that a reported call in the same function made (every
    binding of the name is that call, maybe through `with ... as`) is listed on the call's
    finding instead of being its own."""
    made: dict[ir.Call, RawFinding] = {}
    for item in items:
        if _in_place(item):
            made.setdefault(ir.Call(item.site.func, item.site.args, item.site.kwargs), item)
    if not made:
        return items
    kept: list[RawFinding] = []
    for item in items:
        maker = _maker(f, item.site, made) if _in_place(item) else None
        if maker is None or maker is item:
            kept.append(item)
            continue
        label = Reached(rule=item.match.rule.id, symbol=item.match.symbol, line=item.site.line)
        if label not in maker.also:
            maker.also = (*maker.also, label)
    return kept


def _in_place(item: RawFinding) -> bool:
    """A primitive called right in the root (its chain: the root, then the primitive)."""
    return len(item.steps) == 2


def _maker(f: FunctionFacts, site: CallSite, made: dict[ir.Call, RawFinding]) -> RawFinding | None:
    """The finding of the call that made the receiver of `site` (`fh.write`: `open(p)`)."""
    func = site.func
    if not (isinstance(func, ir.Attr) and isinstance(func.value, ir.Name)):
        return None
    bindings = f.func.locals.get(func.value.id, [])
    makers = [_made_by(b, made) for b in bindings]
    first = makers[0] if makers else None
    return first if all(m is first for m in makers) else None


def _made_by(expr: ir.Expr, made: dict[ir.Call, RawFinding]) -> RawFinding | None:
    if isinstance(expr, ir.Await):
        expr = expr.value
    if (
        isinstance(expr, ir.Call)
        and isinstance(expr.func, ir.Attr)
        and expr.func.attr in ("__enter__", "__aenter__")
        and not expr.args
    ):
        expr = expr.func.value  # `with open(p) as fh`
    return made.get(expr) if isinstance(expr, ir.Call) else None


def _contended(
    raw: RawFinding,
    origin: tuple[FunctionFacts, Primitive] | None,
    contention: Contention | None,
) -> bool:
    """A thread-lock acquire is a finding only if a holder of that lock blocks while holding
    it (locks.py); it then names that holder. Everything else is kept as it is."""
    if raw.match.rule.category != LOCK_CATEGORY or contention is None or origin is None:
        return True
    keep, holder = contention.holder(origin[0], origin[1].site)
    raw.holder = holder
    raw.lock_unknown = keep and holder is None
    return keep


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


def once_per_initialisation(raws: list[RawFinding]) -> list[RawFinding]:
    """A lazy initialisation blocks once per process, wherever it is first reached: report
    it once, at its most frequent first loop-side place, with the other places listed."""
    groups: dict[tuple[str, str], list[RawFinding]] = {}
    out: list[RawFinding] = []
    for raw in raws:
        if raw.once is None:
            out.append(raw)
            continue
        groups.setdefault((raw.match.rule.id, raw.once), []).append(raw)
    for members in groups.values():
        members.sort(key=lambda r: (r.impact.rank, r.facts.module.path, r.site.line, r.site.col))
        first = members[0]
        first.other_entries = tuple(
            ChainStep(function=r.root.qualname, path=r.facts.module.path, line=r.site.line)
            for r in members[1:]
        )
        out.append(first)
    return out
