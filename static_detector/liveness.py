"""Which project classes can have instances: a method runs only if its class, or a subclass
that inherits it, can exist (rapid type analysis, kept sound).

A class can exist if any module mentions it as a value: constructs it, passes it, returns
it, stores it in a registry, or names it in a string (`"pkg.mod:Impl"` in configuration);
module summaries record those mentions (not annotations, not base class lists). A class with
an external base is always assumed to exist: a framework may build it from a type hint or a
registry the project never spells out. Installed packages' classes are always live.

Only in a closed world (`closed-world = true`: a service nobody imports). In a library or a
framework, users make instances of its classes (a plugin, a data layer) where the scan
cannot see them, so every class may exist.
"""

from __future__ import annotations

from .resolver import Resolver
from .summary import FunctionKind, Origin


class Liveness:
    def __init__(self, resolver: Resolver, closed_world: bool) -> None:
        self.resolver = resolver
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
