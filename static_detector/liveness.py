"""What in the program can run at all, in a closed world.

Which project classes can have instances: a method runs only if its class, or a subclass
that inherits it, can exist (rapid type analysis, kept sound).

A class can exist if any module mentions it as a value: constructs it, passes it, returns
it, stores it in a registry, or names it in a string (`"pkg.mod:Impl"` in configuration);
module summaries record those mentions (not annotations, not base class lists). A class with
an external base is always assumed to exist: a framework may build it from a type hint or a
registry the project never spells out. Installed packages' classes are always live.

Only in a closed world (`closed-world = true`: a service nobody imports). In a library or a
framework, users make instances of its classes (a plugin, a data layer) where the scan
cannot see them, so every class may exist.

Which coroutine functions are ever called: an `async def` is loop code, and on its own a
root of the analysis, because a framework may call it (a route, a hook). In a closed world
an async function that is not decorated, not a dunder, not a method of a class with an
external base (the framework's hooks), and that nothing calls or names as a value (`see
dead_roots`) is dead code: a storage backend's method nothing calls, a legacy helper.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import ir
from .callgraph import FunctionFacts
from .resolver import Resolver, Scope
from .signatures import accepts
from .summary import CallSite, FunctionKind, Origin
from .values import BoundExtV, ClassV, ExtV, FuncV, ModuleV, PartialV

# decorators that only say what kind of method a function is: no framework registers it
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "abstractmethod", "override"})


class Liveness:
    def __init__(self, resolver: Resolver, closed_world: bool) -> None:
        self.resolver = resolver
        self.closed_world = closed_world
        if not closed_world:  # a library: its users make instances of its classes
            self.dead: frozenset[str] = frozenset()
            return
        neutral = frozenset(resolver.types.typing.neutral_bases)
        mentions: set[str] = set()
        for module in list(resolver.modules.values()):
            if module.origin is Origin.PROJECT:
                mentions.update(module.mentions)
        live: set[str] = set()
        for qualname, (module, _) in list(resolver.classes.items()):  # (mro may load more)
            if module.origin is not Origin.PROJECT or qualname.rpartition(".")[2] in mentions:
                live.add(qualname)
                continue
            external = [b for b in resolver.mro(qualname) if b not in resolver.classes]
            if any(b not in neutral for b in external):
                live.add(qualname)
        # a class's own methods run on instances of its subclasses too
        self.inherited: set[str] = set()
        for qualname in live:
            self.inherited.update(b for b in resolver.mro(qualname) if b in resolver.classes)
        self.dead = frozenset(resolver.classes) - self.inherited

    def runs(self, function: str) -> bool:
        """False for a method of a class no instance of which can exist."""
        hit = self.resolver.functions.get(function)
        if hit is None:
            return True
        module, fs = hit
        if fs.class_name is None or fs.kind is not FunctionKind.FUNCTION:
            return True
        return f"{module.module}.{fs.class_name}" not in self.dead

    def dead_roots(self, facts: dict[str, FunctionFacts], async_roots: Iterable[str]) -> set[str]:
        """The async roots that nothing in a closed world ever calls, directly or through a
        caller that is itself called. Sound where a call cannot be resolved: a call whose
        callee is unknown (`x.delete()`) keeps every function of that name; a name read as
        a value (passed, stored, in a string) keeps every function of that name; a call of
        a method keeps its overrides and the methods it overrides."""
        if not self.closed_world:
            return set()
        resolver = self.resolver
        candidates: dict[str, list[str]] = {}  # simple name -> qualnames
        for qualname in async_roots:
            f = facts.get(qualname)
            if f is not None and f.module.origin is Origin.PROJECT and not self._entry(f):
                candidates.setdefault(f.func.qualname.rpartition(".")[2], []).append(qualname)
        if not candidates:
            return set()
        dead = {q for qs in candidates.values() for q in qs}
        found: list[str] = []  # callees of code that has no facts

        def keep_named(name: str, site: CallSite | None = None) -> None:
            """Keep the candidates of that name (that can take the arguments at `site`)."""
            kept = [q for q in candidates.get(name, ()) if site is None or self._accepts(q, site)]
            for qualname in kept:
                candidates[name].remove(qualname)
                dead.discard(qualname)
                work.append(qualname)
            if not candidates.get(name, True):
                del candidates[name]

        work = [q for q in facts if q not in dead]
        project = [m for m in list(resolver.modules.values()) if m.origin is Origin.PROJECT]
        # an attribute looked up by a computed name may be any word a string spells
        dynamic = any(m.dynamic_attributes for m in project)
        for module in project:
            named = module.escapes | module.words if dynamic else module.escapes
            for name in named & candidates.keys():
                keep_named(name)
            for prefix in (e[:-1] for e in module.escapes if e.endswith("*")):
                for name in [n for n in candidates if n.startswith(prefix)]:
                    keep_named(name)
            # code never classified (sync code the loop does not reach, module code): resolve
            # only its calls of a candidate's name
            for fs in module.functions.values():
                qualname = f"{module.module}.{fs.qualname}"  # (module code: "m.<module>")
                if qualname in facts:
                    continue
                for site in fs.calls:
                    called = ir.last_name(site.func)
                    if called is None or called not in candidates:
                        continue
                    value = resolver.eval(Scope(module, fs, qualname), site.func)
                    while isinstance(value, PartialV):
                        value = value.func
                    if isinstance(value, FuncV):
                        found.append(value.qualname)
                    elif not isinstance(value, (ExtV, BoundExtV, ClassV, ModuleV)):
                        keep_named(called, site)  # unknown: any function of that name
        while (work or found) and candidates:
            if found:
                callees: Iterable[str] = [found.pop()]
            else:
                f = facts.get(work.pop())
                if f is None:
                    continue
                for site in f.unknown_calls:
                    called = ir.last_name(site.func)
                    if called is not None and called in candidates:
                        keep_named(called, site)
                callees = _callees(f)
            for callee in callees:
                if callee in dead:
                    dead.discard(callee)
                    work.append(callee)
                self._keep_related(callee, candidates, dead, work)
        return dead

    def _accepts(self, qualname: str, site: CallSite) -> bool:
        _, fs = self.resolver.functions[qualname]
        method = fs.class_name is not None and not any(
            ir.dotted(d) == "staticmethod" for d in fs.decorators
        )
        # `x.m(...)` on an instance binds self; `Cls.m(x, ...)` passes it
        return accepts(fs, 0, site) or (method and accepts(fs, 1, site))

    def _entry(self, f: FunctionFacts) -> bool:
        """May something outside the program's own calls run this (a framework)?"""
        fs = f.func
        name = fs.qualname.rpartition(".")[2]
        if name.startswith("__") and name.endswith("__"):
            return True
        for deco in fs.decorators:
            target = deco.func if isinstance(deco, ir.Call) else deco
            if (ir.dotted(target) or "").rpartition(".")[2] not in _PLAIN_DECORATORS:
                return True
        if fs.class_name is None:
            return False
        neutral = self.resolver.types.typing.neutral_bases
        cls = f"{f.module.module}.{fs.class_name}"
        return any(
            b not in self.resolver.classes and b not in neutral for b in self.resolver.mro(cls)
        )

    def _keep_related(
        self, callee: str, candidates: dict[str, list[str]], dead: set[str], work: list[str]
    ) -> None:
        """A call of `Base.m` may run an override `Impl.m`, and a call resolved to `Impl.m`
        through an inherited name may be typed loosely: keep the methods of that name up
        and down the class hierarchy."""
        hit = self.resolver.functions.get(callee)
        if hit is None or hit[1].class_name is None:
            return
        module, fs = hit
        name = fs.qualname.rpartition(".")[2]
        if name not in candidates:
            return
        cls = f"{module.module}.{fs.class_name}"
        up = set(self.resolver.mro(cls))
        for qualname in list(candidates[name]):
            other_module, other = self.resolver.functions[qualname]
            other_cls = f"{other_module.module}.{other.class_name}"
            if other.class_name is not None and (
                other_cls in up or cls in self.resolver.mro(other_cls)
            ):
                candidates[name].remove(qualname)
                dead.discard(qualname)
                work.append(qualname)


def _callees(f: FunctionFacts) -> Iterable[str]:
    yield from f.async_calls
    yield from (e.callee for e in f.edges)
    yield from (c.callee for c in f.callbacks)
    for site in f.offloads:
        target = site.target
        while isinstance(target, PartialV):
            target = target.func
        if isinstance(target, FuncV):
            yield target.qualname
