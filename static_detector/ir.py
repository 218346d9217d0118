"""A tiny symbolic expression language that module summaries are written in.

`ast` trees are large and tied to one module; the whole-program resolver needs only the
shape of the expressions that name callables and receivers (`self.store.append`,
`Path(root) / name`, `open(p)`). Summaries store those shapes as small immutable tuples,
so they pickle fast into the cache and can be resolved later against every module.

Every tuple ends with a kind tag `k`, so that tuples of different kinds never compare equal
(`Name("x") != Const("x")`): they are used as memo keys.
"""

from __future__ import annotations

from typing import NamedTuple


class Name(NamedTuple):
    id: str
    k: str = "N"


class Attr(NamedTuple):
    value: Expr
    attr: str
    k: str = "A"


class Call(NamedTuple):
    func: Expr
    args: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()
    k: str = "C"


class Const(NamedTuple):
    value: str | int | float | bool | None
    k: str = "K"


class BinOp(NamedTuple):
    op: str  # "/" (path join) or "|" (union annotation)
    left: Expr
    right: Expr
    k: str = "B"


class Subscript(NamedTuple):
    value: Expr
    item: Expr  # (not `index`: that would shadow tuple.index)
    k: str = "S"


class Element(NamedTuple):
    """An element of an iterable (`for x in <value>`)."""

    value: Expr
    k: str = "E"


class Await(NamedTuple):
    value: Expr
    k: str = "W"


class OneOf(NamedTuple):
    """`a or b`, `a if c else b`: any of these (a condition `a or b`: one of them is true)."""

    options: tuple[Expr, ...]
    k: str = "O"


# Conditions (the tests of summary regions) are written in the value nodes (a name, an
# attribute, an `isinstance(x, T)` call: their truthiness), OneOf for `or`, and these.


class AllOf(NamedTuple):
    """The condition `a and b` (and a chained comparison `a < b < c`): all of these are true."""

    items: tuple[Expr, ...]
    k: str = "AL"


class Not(NamedTuple):
    value: Expr
    k: str = "NT"


class Compare(NamedTuple):
    op: str  # as written: "is", "is not", "==", "!=", "in", "not in", "<", "<=", ">", ">="
    left: Expr
    right: Expr
    k: str = "CP"


class FuncRef(NamedTuple):
    """A lambda or nested def, by the qualname of its function summary in this module."""

    qualname: str
    k: str = "F"


class ClassRef(NamedTuple):
    """A class nested in a function or class, by the qualname of its summary in this module."""

    qualname: str
    k: str = "CR"


class Annotated(NamedTuple):
    """The value of a local declared without one (`store: Store`): of the annotated type."""

    annotation: Expr
    k: str = "AN"


class ImportOf(NamedTuple):
    """What an import inside a function binds: the module or module member `target`."""

    target: str
    k: str = "IM"


class Display(NamedTuple):
    """A dict, set or list display (`{...}`, `[...]`, a comprehension): a new container of
    builtin `kind`; `empty`: known to have no items (`{}`, `[]`), False when it has some or
    may have (a comprehension)."""

    kind: str  # "dict" | "set" | "list"
    empty: bool | None
    elem: Expr | None = None  # a list or set comprehension's element
    k: str = "D"


class Tuple(NamedTuple):
    items: tuple[Expr, ...]
    k: str = "T"


class Unknown(NamedTuple):
    k: str = "U"


UNKNOWN = Unknown()

Expr = (
    Name
    | Attr
    | Call
    | Const
    | BinOp
    | Subscript
    | Element
    | Await
    | OneOf
    | AllOf
    | Not
    | Compare
    | FuncRef
    | ClassRef
    | Annotated
    | ImportOf
    | Tuple
    | Display
    | Unknown
)


def names(expr: Expr) -> frozenset[str]:
    """The names an expression reads."""
    found: set[str] = set()
    stack: list[tuple[object, ...]] = [expr]
    push = stack.append
    while stack:
        node = stack.pop()
        if type(node) is Name:
            found.add(node.id)
            continue
        for item in node:  # every node, and the tuples of nodes it holds (no generator: hot)
            if isinstance(item, tuple):
                push(item)
    return frozenset(found)


def last_name(expr: Expr) -> str | None:
    """The name a callee is written with: `f` of `f(...)`, `m` of `x.y.m(...)`."""
    if isinstance(expr, Attr):
        return expr.attr
    return expr.id if isinstance(expr, Name) else None


def dotted(expr: Expr) -> str | None:
    """`a.b.c` for Name/Attr chains, else None."""
    parts: list[str] = []
    while isinstance(expr, Attr):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None


def render(expr: Expr) -> str:
    """Short source-like text, for messages and debugging."""
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attr):
        return f"{render(expr.value)}.{expr.attr}"
    if isinstance(expr, Call):
        return f"{render(expr.func)}(...)"
    if isinstance(expr, Const):
        return repr(expr.value)
    if isinstance(expr, BinOp):
        return f"{render(expr.left)} {expr.op} {render(expr.right)}"
    if isinstance(expr, Subscript):
        return f"{render(expr.value)}[...]"
    if isinstance(expr, Await):
        return f"await {render(expr.value)}"
    if isinstance(expr, (FuncRef, ClassRef)):
        return expr.qualname
    if isinstance(expr, Annotated):
        return render(expr.annotation)
    if isinstance(expr, Compare):
        return f"{render(expr.left)} {expr.op} {render(expr.right)}"
    if isinstance(expr, Not):
        return f"not {render(expr.value)}"
    if isinstance(expr, AllOf):
        return " and ".join(map(render, expr.items))
    if isinstance(expr, ImportOf):
        return expr.target
    return "?"
