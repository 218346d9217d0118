"""Which project classes can have instances: a method runs only if its class, or a subclass
that inherits it, can exist (rapid type analysis, kept sound).

A class can exist if any module mentions it as a value: constructs it, passes it, returns
it, stores it in a registry, or names it in a string (`"pkg.mod:Impl"` in configuration);
module summaries record those mentions (not annotations, not base class lists). A class with
an external base is always assumed to exist: a framework may build it from a type hint or a
registry the project never spells out. Installed packages' classes are always live.
"""

from __future__ import annotations

from . import ir
from .resolver import Resolver, Scope
from .summary import FunctionKind, Origin
from .values import ExtV


def builds_application(resolver: Resolver, applications: frozenset[str]) -> bool:
    """Does the project build a web application or run a server (an application, not a
    library: nobody else makes instances of its classes)? A cheap name filter first."""
    names = {symbol.rpartition(".")[2] for symbol in applications}
    for qualname, module, fs in resolver.iter_functions():
        if module.origin is not Origin.PROJECT:
            continue
        scope: Scope | None = None
        for site in fs.calls:
            func = site.func
            last = func.attr if isinstance(func, ir.Attr) else getattr(func, "id", None)
            if last not in names:
                continue
            scope = scope or Scope(module, fs, qualname)
            value = resolver.eval(scope, func)
            if isinstance(value, ExtV) and resolver.types.canonical(value.symbol) in applications:
                return True
    return False


class Liveness:
    def __init__(self, resolver: Resolver, closed_world: bool) -> None:
        self.resolver = resolver
        if not closed_world:  # a library: its users make instances of its classes
            self.dead: frozenset[str] = frozenset()
            return
        neutral = frozenset(resolver.types.typing.neutral_bases)
        mentions: set[str] = set()
        for module in resolver.modules.values():
            if module.origin is Origin.PROJECT:
                mentions.update(module.mentions)
        live: set[str] = set()
        for qualname, (module, _) in resolver.classes.items():
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
