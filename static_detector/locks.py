"""Which thread locks the loop may really wait on: lock-holder analysis.

Taking a `threading.Lock` on the loop costs something only when some holder of the same
lock, in any thread, does blocking or long work while holding it: a lock held for a set
add, a counter or a flag is released within microseconds. So a loop-side acquire is kept
only when a holder of that lock reaches a blocking primitive (IO, sleep, join, a wait)
inside its `with lock:` (or between `acquire()` and `release()`).

A lock is identified by where it lives: a module global (`pkg.mod._LOCK`), a class's
attribute (`pkg.mod.Cache._lock`, shared by `self._lock` in every method of the class and
its subclasses, or named through the class: `Cache._lock`), or an attribute of an attribute
(`self.store._lock`, by the store's class). A lock that cannot be identified (a parameter, a local made elsewhere) keeps its
finding: sound where it cannot judge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from blocking_io.shared_rules.reports import ChainStep

from . import ir
from .callgraph import FunctionFacts
from .reach import Reach, Witness
from .resolver import Resolver, Scope
from .summary import CallSite, FuncSummary, FunctionKind, ModuleSummary, RegionKind
from .values import ClassV, InstV

ACQUIRE = frozenset({"__enter__", "acquire"})
# on the lock itself inside its own region: they release it or do not wait
_OWN_CALLS = frozenset({"wait", "wait_for", "notify", "notify_all", "release", "locked"})
LOCK_CATEGORY = "lock"


class Holder(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    """A place that holds `lock` while it runs a blocking primitive."""

    lock: str
    function: str
    path: str
    line: int  # the blocking call inside the held region
    witness: Witness  # from the holder function to the primitive

    def steps(self) -> tuple[ChainStep, ...]:
        return self.witness.steps


def receiver_of(site: CallSite) -> ir.Expr | None:
    """The lock expression of `with lock:` (`lock.__enter__`) or `lock.acquire()`."""
    func = site.func
    if isinstance(func, ir.Attr) and func.attr in ACQUIRE:
        return func.value
    return None


def taken_name(site: CallSite) -> str | None:
    """The last name of the lock `site` takes (`_lock` of `with self._lock:`), if any."""
    receiver = receiver_of(site)
    return None if receiver is None else ir.last_name(receiver)


class LockIndex:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._keys: dict[tuple[str, ir.Expr], str | None] = {}

    # -- identity ----------------------------------------------------------------------------
    def key(self, scope: Scope, expr: ir.Expr) -> str | None:
        memo = (scope.qualname, expr)
        if memo not in self._keys:
            self._keys[memo] = self._key(scope, expr, 0)
        return self._keys[memo]

    def _key(self, scope: Scope, expr: ir.Expr, depth: int) -> str | None:
        fs = scope.func
        match expr:
            case ir.Attr(value=ir.Name(id=owner), attr=attr) if owner in ("self", "cls") and (
                fs.class_name is not None
            ):
                return self._class_key(f"{scope.module.module}.{fs.class_name}", attr)
            case ir.Attr(value=value, attr=attr):
                base = self.resolver.eval(scope, value)
                match base:
                    # `self.store._lock`, and `Cache._lock` named through its class
                    # (SQLAlchemy's `AnalyzedCode._generation_mutex`)
                    case InstV(cls=cls, external=False) | ClassV(qualname=cls):
                        return self._class_key(cls, attr)
                    case _ if ir.dotted(value) is not None:
                        module = self.resolver.eval(scope, value)
                        name = getattr(module, "name", None)
                        if isinstance(name, str) and name in self.resolver.modules:
                            return self._global_key(self.resolver.modules[name], attr)
                return None
            case ir.Name(id=name):
                if fs.kind is not FunctionKind.MODULE and name not in fs.globals_declared:
                    if any(p == name for p, _ in fs.params):
                        return None  # a lock passed in: any lock
                    if name in fs.locals:
                        if depth >= 2:
                            return None
                        keys = {self._key(scope, e, depth + 1) for e in fs.locals[name]}
                        return keys.pop() if len(keys) == 1 else None
                return self._global_key(scope.module, name)
        return None

    def _class_key(self, cls: str, attr: str) -> str | None:
        """The class that defines `attr` (a lock shared by its instances' methods)."""
        for klass in self.resolver.mro(cls):
            hit = self.resolver.classes.get(klass)
            if hit is not None and (attr in hit[1].attrs or attr in hit[1].annotations):
                return f"{klass}.{attr}"
        return None

    def _global_key(self, module: ModuleSummary, name: str) -> str | None:
        """The module that defines global `name` (following `from x import name`)."""
        seen: set[tuple[str, str]] = set()
        while (module.module, name) not in seen:
            seen.add((module.module, name))
            if name in module.globals:
                return f"{module.module}.{name}"
            targets = module.imports.get(name, ())
            if not targets:
                return None
            origin, _, attr = targets[0].rpartition(".")
            found = self.resolver.modules.get(origin)
            if found is None:
                return None
            module, name = found, attr
        return None

    # -- holders -------------------------------------------------------------------------------
    def candidates(self, names: set[str]) -> list[str]:
        """Functions that may hold a lock whose last name is in `names` (a cheap filter
        before resolving): they take a `with X:` or call `X.acquire()` on such a name."""
        out = []
        for qualname, _, fs in self.resolver.iter_functions():
            if any(taken_name(site) in names for site in fs.calls):
                out.append(qualname)
        return out

    def holders(
        self,
        lock: str,
        facts: dict[str, FunctionFacts],
        reach: Reach,
        taking: dict[str, list[str]] | None = None,
    ) -> Iterator[Holder]:
        """Places that hold `lock` while they run a blocking primitive (not a lock).
        `taking`: taking(facts), when asked for several locks."""
        name = lock.rpartition(".")[2]
        for qualname in sorted(facts) if taking is None else taking.get(name, ()):
            f = facts[qualname]
            scope = Scope(f.module, f.func, qualname)
            for region, acquired in self._held(f.func, name):
                acquire_expr = receiver_of(f.func.calls[acquired])
                if acquire_expr is None or self.key(scope, acquire_expr) != lock:
                    continue
                yield from self._blocking_inside(f, scope, region, acquired, lock, reach)

    @staticmethod
    def taking(facts: dict[str, FunctionFacts]) -> dict[str, list[str]]:
        """The last name of each lock taken (`with X:`, `X.acquire()`) -> the functions of
        `facts` that take it, by qualname: one pass over every call, not one per lock."""
        out: dict[str, list[str]] = {}
        for qualname in sorted(facts):
            taken = {taken_name(site) for site in facts[qualname].func.calls}
            for name in sorted(n for n in taken if n is not None):
                out.setdefault(name, []).append(qualname)
        return out

    def _held(self, fs: FuncSummary, name: str) -> Iterator[tuple[int, int]]:
        """(region, acquire call index) of each place the function takes a lock named `name`:
        a `with` region (-2 when held from `acquire()` to the end or `release()`)."""
        for index, site in enumerate(fs.calls):
            receiver = receiver_of(site)
            if receiver is None or ir.last_name(receiver) != name:
                continue
            if site.func.attr == "__enter__":  # type: ignore[union-attr]
                region = _with_region(fs, site)
                if region is not None:
                    yield region, index
            else:
                yield -2, index

    def _blocking_inside(
        self,
        f: FunctionFacts,
        scope: Scope,
        region: int,
        acquired: int,
        lock: str,
        reach: Reach,
    ) -> Iterator[Holder]:
        fs = f.func
        start = fs.calls[acquired]
        release_line = _release_line(fs, start) if region == -2 else None

        def inside(site: CallSite) -> bool:
            if region == -2:
                return site.line > start.line and (release_line is None or site.line < release_line)
            return _within(fs, site.region, region)

        def own(site: CallSite) -> bool:
            func = site.func
            return (
                isinstance(func, ir.Attr)
                and func.attr in _OWN_CALLS | ACQUIRE | {"__exit__"}
                and self.key(scope, func.value) == lock
            )

        for prim in f.prims:
            if prim.consumed and inside(prim.site) and not own(prim.site):
                if prim.match.rule.category != LOCK_CATEGORY:
                    steps = (
                        ChainStep(function=f.qualname, path=f.module.path, line=prim.site.line),
                        ChainStep(
                            function=prim.match.symbol, path=f.module.path, line=prim.site.line
                        ),
                    )
                    yield Holder(lock, f.qualname, f.module.path, prim.site.line,
                                 Witness(prim.match, steps))  # fmt: skip
        for edge in f.edges:
            if not edge.consumed or not inside(edge.site) or own(edge.site):
                continue
            for witness in reach.at(edge, f).values():
                if witness.match.rule.category == LOCK_CATEGORY:
                    continue
                head = ChainStep(function=f.qualname, path=f.module.path, line=edge.site.line)
                yield Holder(
                    lock, f.qualname, f.module.path, edge.site.line,
                    Witness(witness.match, (head, *witness.steps), witness.count),
                )  # fmt: skip


def _with_region(fs: FuncSummary, enter: CallSite) -> int | None:
    """The `with` region whose manager is the one `enter` enters: the innermost WITH region
    starting right after the `with` line that the manager's call sits outside of."""
    best = None
    for index, reg in enumerate(fs.regions):
        if reg.kind is not RegionKind.WITH or reg.expr != enter.func.value:  # type: ignore[union-attr]
            continue
        if reg.line >= enter.line and (best is None or reg.line < fs.regions[best].line):
            best = index
    return best


def _within(fs: FuncSummary, region: int, outer: int) -> bool:
    while region >= 0:
        if region == outer:
            return True
        region = fs.regions[region].parent
    return False


def _release_line(fs: FuncSummary, acquire: CallSite) -> int | None:
    lock = acquire.func.value  # type: ignore[union-attr]
    lines = [
        s.line
        for s in fs.calls
        if isinstance(s.func, ir.Attr)
        and s.func.attr == "release"
        and s.func.value == lock
        and s.line > acquire.line
    ]
    return min(lines) if lines else None


def lock_names(facts: FunctionFacts) -> set[str]:
    """The last names of the locks a function's lock primitives take (`_lock`)."""
    out = set()
    for prim in facts.prims:
        if prim.match.rule.category == LOCK_CATEGORY:
            receiver = receiver_of(prim.site)
            name = ir.last_name(receiver) if receiver is not None else None
            if name:
                out.add(name)
    return out


class Contention:
    """Whether a loop-side acquire can wait: a holder of the same lock blocks while holding
    it. Holders are looked for once per lock, on demand."""

    def __init__(self, locks: LockIndex, facts: dict[str, FunctionFacts], reach: Reach) -> None:
        self.locks = locks
        self.facts = facts
        self.reach = reach
        self._holders: dict[str, list[Holder]] = {}
        self._taking: dict[str, list[str]] | None = None

    def holder(self, facts: FunctionFacts, site: CallSite) -> tuple[bool, Holder | None]:
        """(keep the finding, the holder that blocks): an acquire of an unidentified lock is
        kept without a holder; of an identified one only if some holder blocks."""
        receiver = receiver_of(site)
        if receiver is None:
            return True, None
        scope = Scope(facts.module, facts.func, facts.qualname)
        lock = self.locks.key(scope, receiver)
        if lock is None:
            return True, None
        if lock not in self._holders:
            if self._taking is None:
                self._taking = LockIndex.taking(self.facts)
            found = sorted(
                self.locks.holders(lock, self.facts, self.reach, self._taking),
                key=lambda h: (len(h.witness.steps), h.path, h.line, h.function),
            )
            self._holders[lock] = found
        holders = self._holders[lock]
        return (True, holders[0]) if holders else (False, None)
