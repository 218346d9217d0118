"""What an expression evaluates to in the whole-program resolver (resolver.py).

Small immutable tuples, each ending with a kind tag `k` so values of different kinds never
compare equal (they are memo keys): a project module, function or class; an external name
(matched against the registry by its canonical dotted name); an instance of a project or
external class; a method bound to an external instance; and a few shapes that carry another
value (a partial, an iterable's element, a coroutine's result). UNKNOWN: not determined; the
analysis reports nothing for it rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    container: str = ""  # "builtins.list" when it is known to be one (its methods)
    k: str = "iter"


class TupleV(NamedTuple):
    items: tuple[Value, ...]
    k: str = "tuple"


class CoroV(NamedTuple):
    result: Value
    k: str = "coro"


class EnterV(NamedTuple):
    """What calling a `@contextmanager` function gives: entering it (`with f() as x`) binds
    x to `entered` (its body, to the yield, ran at the call: an edge of its own)."""

    entered: Value
    k: str = "enter"


class UnionV(NamedTuple):
    """One of these (`A | B`, a name bound to different types on different branches): a
    method call on it may run any member's method. Built only by `union()`."""

    options: tuple[Value, ...]
    k: str = "union"


class UnknownV(NamedTuple):
    k: str = "unknown"


UNKNOWN = UnknownV()
NONE = ExtV("builtins.None")

# members kept of one union; a wider one is cut (its first members stay candidates)
MAX_OPTIONS = 8


def options(value: Value) -> tuple[Value, ...]:
    """The members of a union, or the value alone."""
    return value.options if isinstance(value, UnionV) else (value,)


def union(values: Iterable[Value]) -> Value:
    """The union of the known values (UNKNOWN and None are no candidates: a `None`
    placeholder or an unresolved binding gives no method to call), flattened and without
    repeats; UNKNOWN when none is known, the value itself when there is one."""
    out: list[Value] = []
    for value in values:
        for option in options(value):
            if option not in (UNKNOWN, NONE) and option not in out:
                out.append(option)
    if not out:
        return UNKNOWN
    return out[0] if len(out) == 1 else UnionV(tuple(out[:MAX_OPTIONS]))


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
    | EnterV
    | UnionV
    | UnknownV
)
