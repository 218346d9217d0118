"""Which bindings of a local name reach a use of it, from the order of the function body,
and which `isinstance` tests around the use narrow its type.

Flow-insensitive within straight-line code: the latest binding textually before the use
wins when it runs on every way to the use (its region encloses the use's); a binding under
a condition, a loop or a `try` may not have run, so the ones before it stay candidates too
(a union). A use no binding surely reaches (one before any binding, or only conditional
ones) also sees what the name held on entry: a parameter's annotation, or, for a local,
every binding (a loop may carry one round's value into the next).

A guard around the use that holds only when `isinstance(name, T)` is true (`if
isinstance(x, T):`, the rest of a block after `if not isinstance(x, T): raise`) makes the
name a T there, unless the name is bound again inside the guarded code.
"""

from __future__ import annotations

from itertools import chain

from . import ir
from .summary import FuncSummary, Region, RegionKind

ON_ENTRY = -1  # the parameter's value (or, for a local, any binding: see above)

# regions whose body always runs once entered: a binding there is as sure as one outside
_ALWAYS = frozenset({RegionKind.WITH, RegionKind.ASYNC_WITH})

# guards: regions that run only when their test holds (or fails: Region.when)
_GUARDS = frozenset(
    {
        RegionKind.IF,
        RegionKind.ELSE,
        RegionKind.AFTER_EXIT,
        RegionKind.WHILE,
        RegionKind.LOOP_ELSE,
        RegionKind.MATCH_CASE,
        RegionKind.OR,
        RegionKind.AND,
        RegionKind.IF_EXP,
        RegionKind.IF_EXP_ELSE,
        RegionKind.COMP_IF,
    }
)
_ISINSTANCE = ir.Name("isinstance")

# per name whose type depends on where it is used: the indices (in FuncSummary.locals[name])
# of the bindings that reach the use (ON_ENTRY among them for the value on entry), and the
# classes (as written) that `isinstance` tests around the use prove it to be. It is the whole
# position of a use, as far as types go: uses with the same signature resolve alike.
Signature = tuple[tuple[str, tuple[int, ...], tuple[ir.Expr, ...]], ...]


def positional(fs: FuncSummary) -> tuple[str, ...]:
    """Names whose type may depend on where they are used: bound by two statements or more,
    parameters bound again in the body, and names an `isinstance` test narrows."""
    params = {name for name, _ in fs.params}
    names = [
        name
        for name, sites in fs.bound_at.items()
        if name in params or (len(sites) > 1 and len({line for line, _ in sites}) > 1)
    ]
    for region in fs.regions:
        if region.kind in _GUARDS:
            names.extend(n for n in _tested(region.expr) if n not in names)
    return tuple(names)


def signature(fs: FuncSummary, names: tuple[str, ...], line: int, region: int) -> Signature:
    out = []
    for name in names:
        reach = reaching(fs, name, line, region)
        sites = fs.bound_at.get(name, [])
        last = max((sites[i][0] for i in reach if i != ON_ENTRY), default=0)
        out.append((name, reach, narrowing(fs, name, region, last)))
    return tuple(out)


def narrowing(fs: FuncSummary, name: str, region: int, bound_line: int) -> tuple[ir.Expr, ...]:
    """The classes `isinstance(name, C)` tests prove `name` to be in `region`, from guards
    that start after the latest binding of it that reaches there (`bound_line`)."""
    out: list[ir.Expr] = []
    while region >= 0:
        guard = fs.regions[region]
        if guard.kind in _GUARDS and guard.line > bound_line:
            out.extend(_instance_of(guard.expr, name, guard.when))
        region = guard.parent
    return tuple(out)


def _instance_of(test: ir.Expr, name: str, holds: bool) -> tuple[ir.Expr, ...]:
    """The classes `test` being `holds` proves `name` an instance of."""
    if isinstance(test, ir.Not):
        return _instance_of(test.value, name, not holds)
    if holds and isinstance(test, ir.AllOf):
        return tuple(chain.from_iterable(_instance_of(t, name, True) for t in test.items))
    if (
        holds
        and isinstance(test, ir.Call)
        and test.func == _ISINSTANCE
        and len(test.args) == 2
        and test.args[0] == ir.Name(name)
    ):
        return (test.args[1],)
    return ()


def _tested(test: ir.Expr) -> list[str]:
    """The names `isinstance` tests in `test`."""
    if isinstance(test, ir.Not):
        return _tested(test.value)
    if isinstance(test, (ir.AllOf, ir.OneOf)):
        items = test.items if isinstance(test, ir.AllOf) else test.options
        return list(chain.from_iterable(_tested(t) for t in items))
    if isinstance(test, ir.Call) and test.func == _ISINSTANCE and len(test.args) == 2:
        subject = test.args[0]
        return [subject.id] if isinstance(subject, ir.Name) else []
    return []


def reaching(fs: FuncSummary, name: str, line: int, region: int) -> tuple[int, ...]:
    """The bindings of `name` that reach a use on statement `line` in `region`, in order;
    the bindings of one statement (`x: T = v`: the annotation and the value) go together."""
    sites = fs.bound_at.get(name, [])
    out: list[int] = []
    sure_line: int | None = None  # the statement of the binding that surely ran
    for index in range(len(sites) - 1, -1, -1):
        bound_line, bound_region = sites[index]
        if bound_line >= line:
            continue  # after the use (or its own statement: `x = f(x)` reads the old x)
        if sure_line is not None:
            if bound_line != sure_line:
                break
            out.append(index)
            continue
        out.append(index)
        if _encloses(fs.regions, _settled(fs.regions, bound_region), region):
            sure_line = bound_line
    if sure_line is None:
        out.append(ON_ENTRY)
    return tuple(reversed(out))


def _settled(regions: list[Region], region: int) -> int:
    while region >= 0 and regions[region].kind in _ALWAYS:
        region = regions[region].parent
    return region


def _encloses(regions: list[Region], outer: int, region: int) -> bool:
    while region != outer and region >= 0:
        region = regions[region].parent
    return region == outer
