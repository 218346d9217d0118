"""External type knowledge (data/types.toml): aliases, bases, return and attribute types."""

from __future__ import annotations

import builtins
import functools
from dataclasses import dataclass, field
from importlib import resources

from blocking_io.shared_rules import tomlio

BUILTINS = frozenset(dir(builtins))


@dataclass
class Typeshed:
    aliases: dict[str, str]
    bases: dict[str, tuple[str, ...]]
    returns: dict[str, str]
    attributes: dict[str, str]
    iterates: dict[str, str]
    enter_self: frozenset[str]
    ambiguous: frozenset[str] = frozenset()
    variants: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    _mro: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def canonical(self, symbol: str) -> str:
        """Map `posixpath.exists` -> `os.path.exists`, `requests.api.get` -> `requests.get`."""
        if symbol in self.aliases:
            return self.aliases[symbol]
        # longest aliased prefix wins
        parts = symbol.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in self.aliases:
                return self.aliases[prefix] + "." + ".".join(parts[cut:])
        return symbol

    def mro(self, cls: str) -> tuple[str, ...]:
        """`cls` then its bases, depth first, without repeats."""
        hit = self._mro.get(cls)
        if hit is not None:
            return hit
        out: list[str] = []
        stack = [cls]
        while stack:
            current = stack.pop(0)
            if current in out:
                continue
            out.append(current)
            stack[0:0] = list(self.bases.get(current, ()))
        self._mro[cls] = tuple(out)
        return self._mro[cls]

    def method_return(self, cls: str, method: str) -> str | None:
        for klass in self.mro(cls):
            hit = self.returns.get(f"{klass}.{method}")
            if hit:
                return hit
            if method == "__enter__" and klass in self.enter_self:
                return "self"
        return None

    def attribute(self, cls: str, name: str) -> str | None:
        for klass in self.mro(cls):
            hit = self.attributes.get(f"{klass}.{name}")
            if hit:
                return hit
        for klass in self.mro(cls):
            hit = self.attributes.get(f"{klass}.*")
            if hit and not name.startswith("_"):
                return hit
        return None

    def element(self, cls: str) -> str | None:
        for klass in self.mro(cls):
            if klass in self.iterates:
                return self.iterates[klass]
        return None


@functools.lru_cache(maxsize=1)
def load() -> Typeshed:
    text = (resources.files("blocking_io.static_detector") / "data" / "types.toml").read_text(
        "utf-8"
    )
    data = tomlio.loads(text, "static_detector/data/types.toml")
    return Typeshed(
        aliases=dict(data.get("aliases", {})),
        bases={k: tuple(v) for k, v in data.get("bases", {}).items()},
        returns=dict(data.get("returns", {})),
        attributes=dict(data.get("attributes", {})),
        iterates=dict(data.get("iterates", {})),
        enter_self=frozenset(data.get("enter_self", {}).get("classes", [])),
        ambiguous=frozenset(data.get("ambiguous_annotations", {}).get("classes", [])),
        variants=_variants(data.get("variant", [])),
    )


def _variants(items: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for item in items:
        out.setdefault(str(item["call"]), []).append(item)
    return out
