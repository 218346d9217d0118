"""What an expression evaluates to in the whole-program resolver (resolver.py).

Small immutable tuples, each ending with a kind tag `k` so values of different kinds never
compare equal (they are memo keys): a project module, function or class; an external name
(matched against the registry by its canonical dotted name); an instance of a project or
external class; a method bound to an external instance; and a few shapes that carry another
value (a partial, an iterable's element, a coroutine's result). UNKNOWN: not determined; the
analysis reports nothing for it rather than guess.
"""

from __future__ import annotations

from typing import NamedTuple


class ModuleV(NamedTuple):
    name: str
    k: str = "module"


class FuncV(NamedTuple):
    qualname: str  # global: "pkg.mod.Class.method"
    k: str = "func"


class ClassV(NamedTuple):
    qualname: str
    k: str = "class"


class ExtV(NamedTuple):
    """An external module, function or class, by canonical dotted name."""

    symbol: str
    k: str = "ext"


class InstV(NamedTuple):
    cls: str  # project class qualname or external class symbol
    external: bool
    k: str = "inst"


class BoundExtV(NamedTuple):
    """A method of an instance of an external class (or a project class's external base)."""

    cls: str
    method: str
    k: str = "boundext"


class PartialV(NamedTuple):
    func: Value
    k: str = "partial"


class SuperV(NamedTuple):
    cls: str  # project class; lookups start after it in the MRO
    k: str = "super"


class IterV(NamedTuple):
    elem: Value
    k: str = "iter"


class TupleV(NamedTuple):
    items: tuple[Value, ...]
    k: str = "tuple"


class CoroV(NamedTuple):
    result: Value
    k: str = "coro"


class UnknownV(NamedTuple):
    k: str = "unknown"


UNKNOWN = UnknownV()
NONE = ExtV("builtins.None")

Value = (
    ModuleV
    | FuncV
    | ClassV
    | ExtV
    | InstV
    | BoundExtV
    | PartialV
    | SuperV
    | IterV
    | TupleV
    | CoroV
    | UnknownV
)
