"""Conditions on a function's own parameters under which a call in it runs, and whether a
caller's arguments make them false (condition-aware summaries).

`config = config or load()`, `if store is None: store = Store()`, `if path is not None:
write(path)`, `if not isinstance(fp, io.IOBase): fp = open(fp)`, an early `if x is None:
return`: the blocking call runs only under a test of a parameter. A summary records every
call's control-flow region (summary.Region); here the tests of those regions become
`Atom`s over parameters, and a call site either discharges an atom (its argument makes the
test false: the path cannot run from there), keeps it on its own parameter (the argument is
a parameter forwarded from its caller), or drops it (cannot judge: the path may run).
Anything not understood is dropped, never assumed false: sound where it cannot judge.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import NamedTuple

from . import ir
from .resolver import Resolver, Scope
from .summary import CallSite, FuncSummary, FunctionKind, ModuleSummary, Region, RegionKind
from .values import NONE, UNKNOWN, ClassV, CoroV, ExtV, FuncV, InstV, IterV, TupleV, Value


class Test(enum.IntEnum):
    IS_NONE = 1
    NOT_NONE = 2
    TRUTHY = 3
    FALSY = 4
    INSTANCE = 5  # isinstance(param, types)
    NOT_INSTANCE = 6


_NEGATED = {
    Test.IS_NONE: Test.NOT_NONE,
    Test.NOT_NONE: Test.IS_NONE,
    Test.TRUTHY: Test.FALSY,
    Test.FALSY: Test.TRUTHY,
    Test.INSTANCE: Test.NOT_INSTANCE,
    Test.NOT_INSTANCE: Test.INSTANCE,
}

# regions whose test must hold (with their polarity) for the code in them to run
_GUARDS = frozenset(
    {
        RegionKind.IF, RegionKind.ELSE, RegionKind.AFTER_EXIT, RegionKind.WHILE,
        RegionKind.LOOP_ELSE, RegionKind.OR, RegionKind.AND, RegionKind.IF_EXP,
        RegionKind.IF_EXP_ELSE, RegionKind.COMP_IF, RegionKind.MATCH_CASE,
    }
)  # fmt: skip


class Atom(NamedTuple):
    """`name` (a parameter, or for lazy initialisation a global or `self.attr`) passes `test`;
    `types`: the class expression of an isinstance test, resolved in the function's scope."""

    name: str
    test: Test
    types: ir.Expr = ir.UNKNOWN


Guard = frozenset[Atom]
ALWAYS: Guard = frozenset()


def atoms(expr: ir.Expr, when: bool, names: frozenset[str]) -> list[Atom]:
    """The atoms over `names` that must all hold when `expr` is truthy (`when`) or falsy.
    A disjunction or a test of anything else gives none (it may hold either way)."""
    match expr:
        case ir.Name(id=name) if name in names:
            return [Atom(name, Test.TRUTHY if when else Test.FALSY)]
        case ir.Attr():
            dotted = ir.dotted(expr)
            if dotted is not None and dotted in names:
                return [Atom(dotted, Test.TRUTHY if when else Test.FALSY)]
            return []
        case ir.Not(value=value):
            return atoms(value, not when, names)
        case ir.Compare(op=op, left=left, right=right) if op in ("is", "==", "is not", "!="):
            if isinstance(right, ir.Const) and right.value is None:
                subject = left
            elif isinstance(left, ir.Const) and left.value is None:
                subject = right
            else:
                return []
            tested = ir.dotted(subject)
            if tested is None or tested not in names:
                return []
            positive = op in ("is", "==")
            return [Atom(tested, Test.IS_NONE if positive == when else Test.NOT_NONE)]
        case ir.Call(func=ir.Name(id="isinstance"), args=(ir.Name(id=name), types)) if (
            name in names
        ):
            return [Atom(name, Test.INSTANCE if when else Test.NOT_INSTANCE, types)]
        case ir.AllOf(items=items) if when:
            return [a for item in items for a in atoms(item, True, names)]
        case ir.OneOf(options=options) if not when:  # not (a or b): not a, and not b
            return [a for option in options for a in atoms(option, False, names)]
    return []


def guard_regions(fs: FuncSummary, region: int) -> Iterator[Region]:
    """The guard regions a call in `region` sits in, innermost first."""
    while region >= 0:
        reg = fs.regions[region]
        if reg.kind in _GUARDS:
            yield reg
        region = reg.parent


def guard_of(fs: FuncSummary, site: CallSite, params: frozenset[str]) -> Guard:
    """What must hold of the function's parameters for the call at `site` to run. A test
    speaks of what the caller passed only while the parameter is not yet rebound."""
    if not params or site.region < 0:
        return ALWAYS
    live = frozenset(p for p in params if fs.assigned.get(p, site.line) >= site.line)
    if not live:
        return ALWAYS
    found = [a for reg in guard_regions(fs, site.region) for a in atoms(reg.expr, reg.when, live)]
    return frozenset(found) if found else ALWAYS


def parameters(fs: FuncSummary) -> frozenset[str]:
    """The parameters a caller binds (not `self` / `cls` of a method)."""
    names = [name for name, _ in fs.params]
    if fs.class_name is not None and fs.kind is FunctionKind.FUNCTION and names:
        if not any(ir.dotted(d) == "staticmethod" for d in fs.decorators):
            names = names[1:]
    return frozenset(names)


def initialises(fs: FuncSummary, site: CallSite, names: frozenset[str]) -> Region | None:
    """The lazy initialisation the call sits in, if any: a test that one of `names` (the
    globals and `self.` attributes the function assigns) is still unset, `if X is None:`,
    `if not X:`, or a memo's `if key not in X:`. It runs on a first call, not every time."""
    if site.region < 0:
        return None
    for reg in guard_regions(fs, site.region):
        if names:
            for atom in atoms(reg.expr, reg.when, names):
                if atom.test in (Test.IS_NONE, Test.FALSY):
                    return reg
        match reg.expr:
            case ir.Compare(op="not in", right=right) if reg.when and _memo(right, fs):
                return reg
            case ir.Compare(op="in", right=right) if not reg.when and _memo(right, fs):
                return reg
    return None


def _memo(expr: ir.Expr, fs: FuncSummary) -> bool:
    """A container that outlives the call: a module global or a `self.` attribute."""
    name = ir.dotted(expr)
    if name is None:
        return False
    head, _, rest = name.partition(".")
    if head in ("self", "cls"):
        return bool(rest)
    return head not in fs.locals and all(head != p for p, _ in fs.params)


# -- what an argument is -------------------------------------------------------------------


class Verdict(enum.Enum):
    HOLDS = 1
    FAILS = 2
    UNKNOWN = 3


_TRUTH = {True: Verdict.HOLDS, False: Verdict.FAILS, None: Verdict.UNKNOWN}


class Known(NamedTuple):
    """What is known of a value: None or not (None: unknown), its truthiness, its type."""

    is_none: bool | None
    truthy: bool | None
    value: Value


NOTHING = Known(None, None, UNKNOWN)


class Binder:
    """Judges a callee's atoms against the arguments of one call site."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._containers = frozenset(resolver.types.builtins.containers)

    # -- binding ---------------------------------------------------------------------------
    def arguments(
        self, site: CallSite, callee: FuncSummary, offset: int
    ) -> dict[str, ir.Expr | None]:
        """Parameter -> the argument expression bound to it at `site` (None: bound to
        something not judged, like a `*args` element); missing: the default applies.
        `offset`: parameters filled before the written arguments (`self`)."""
        names = [name for name, _ in callee.params]
        bound: dict[str, ir.Expr | None] = {}
        positional = names[offset : callee.positional]
        for index, arg in enumerate(site.args):
            if index < len(positional):
                bound[positional[index]] = arg
        for key, value in site.kwargs:
            if key in names:
                bound[key] = value
        if site.unpacks:  # `*args` / `**kwargs` at the site: any parameter may be bound
            for name in names[offset:]:
                bound.setdefault(name, None)
        return bound

    # -- judging ---------------------------------------------------------------------------
    def judge(
        self,
        atom: Atom,
        arg: ir.Expr | None,
        caller: Scope,
        callee_module: ModuleSummary,
        caller_params: frozenset[str],
    ) -> Verdict | Atom:
        """Whether `atom` holds for the argument `arg` passed at a site in `caller`: HOLDS,
        FAILS, UNKNOWN, or the same test on a parameter of the caller it forwards."""
        if arg is None:
            return Verdict.UNKNOWN
        if isinstance(arg, ir.Name) and arg.id in caller_params:
            return Atom(arg.id, atom.test, atom.types)  # (caller_params: not yet rebound)
        known = self.known(caller, arg)
        return self._verdict(atom, known, callee_module)

    def judge_default(self, atom: Atom, default: ir.Expr, module: ModuleSummary) -> Verdict:
        scope = self.resolver.module_scope(module)
        return self._verdict(atom, self.known(scope, default), module)

    def _verdict(self, atom: Atom, known: Known, module: ModuleSummary) -> Verdict:
        match atom.test:
            case Test.IS_NONE:
                return _TRUTH[known.is_none]
            case Test.NOT_NONE:
                return _TRUTH[None if known.is_none is None else not known.is_none]
            case Test.TRUTHY:
                return _TRUTH[known.truthy]
            case Test.FALSY:
                return _TRUTH[None if known.truthy is None else not known.truthy]
            case Test.INSTANCE | Test.NOT_INSTANCE:
                holds = self._instance(known, atom.types, module)
                if holds is None:
                    return Verdict.UNKNOWN
                return _TRUTH[holds if atom.test is Test.INSTANCE else not holds]
        return Verdict.UNKNOWN

    def known(self, scope: Scope, expr: ir.Expr, depth: int = 0) -> Known:
        """None-ness, truthiness and type of an expression, where the source shows them."""
        match expr:
            case ir.Const(value=None):
                return Known(True, False, NONE)
            case ir.Const(value=value):
                # "" may stand for an f-string (summaries keep no text of those)
                truthy = None if value == "" else bool(value)
                return Known(False, truthy, self.resolver.eval(scope, expr))
            case ir.Tuple(items=items):
                return Known(False, bool(items), UNKNOWN)
            case ir.Display(empty=empty):
                return Known(False, None if empty is None else not empty, UNKNOWN)
            case ir.FuncRef() | ir.ClassRef():
                return Known(False, True, self.resolver.eval(scope, expr))
            case ir.Call():
                return self._constructed(scope, expr)
            case ir.Name() | ir.Attr() if depth < 3:
                return self._assigned(scope, expr, depth)
        return NOTHING

    def _constructed(self, scope: Scope, call: ir.Call) -> Known:
        """A constructor call is an instance: never None, truthy unless it has a length.
        Other calls (a function that may return None) are not judged."""
        target = self.resolver.eval(scope, call.func)
        value = self.resolver.eval(scope, call)
        match target:
            case ClassV(qualname=cls):
                sized = any(
                    self.resolver.class_member(cls, m) != UNKNOWN
                    and isinstance(self.resolver.class_member(cls, m), FuncV)
                    for m in ("__len__", "__bool__")
                )
                return Known(False, None if sized else True, value)
            case ExtV(symbol=symbol) if isinstance(value, InstV) and value.cls == symbol:
                truthy = None if symbol in self._containers else True
                return Known(False, truthy, value)
            case ExtV(symbol=symbol) if symbol in self._containers:
                return Known(False, None, value)
        return NOTHING

    def _assigned(self, scope: Scope, expr: ir.Name | ir.Attr, depth: int) -> Known:
        """A local, a module global or a `self` attribute: known when every assignment of it
        the summaries show is (all not None: not None; all None: None)."""
        sources = self._assignments(scope, expr)
        if not sources:
            return NOTHING
        found = [self.known(where, value, depth + 1) for where, value in sources]
        if all(k.is_none is False for k in found):
            truthy = found[0].truthy if all(k.truthy == found[0].truthy for k in found) else None
            values = {k.value for k in found} - {UNKNOWN}
            return Known(False, truthy, values.pop() if len(values) == 1 else UNKNOWN)
        if all(k.is_none is True for k in found):
            return Known(True, False, NONE)
        return NOTHING

    def _assignments(self, scope: Scope, expr: ir.Name | ir.Attr) -> list[tuple[Scope, ir.Expr]]:
        fs = scope.func
        if isinstance(expr, ir.Name):
            name = expr.id
            if fs.kind is not FunctionKind.MODULE and name not in fs.globals_declared:
                if any(p == name for p, _ in fs.params):
                    return []  # a parameter: its callers decide (judged by forwarding)
                if name in fs.locals:
                    return [(scope, value) for value in fs.locals[name]]
            module = scope.module
            if name in module.globals and name not in module.defs:
                where = self.resolver.module_scope(module)
                return [(where, value) for value in module.globals[name]]
            return []
        receiver = expr.value
        if not (isinstance(receiver, ir.Name) and receiver.id in ("self", "cls")):
            return []
        if fs.class_name is None:
            return []
        cls_qualname = f"{scope.module.module}.{fs.class_name}"
        hit = self.resolver.classes.get(cls_qualname)
        if hit is None:
            return []
        summary, cs = hit
        if expr.attr in cs.annotations and expr.attr not in cs.attrs:
            return []
        out = []
        for scope_rel, value in cs.attrs.get(expr.attr, []):
            assigned_in = self.resolver.scope(f"{summary.module}.{scope_rel}")
            out.append((assigned_in or self.resolver.module_scope(summary), value))
        return out

    def _instance(self, known: Known, types: ir.Expr, module: ModuleSummary) -> bool | None:
        """isinstance(value, types): True / False where both sides are known, else None."""
        if known.is_none is True:
            return False
        value = known.value
        if isinstance(value, CoroV | IterV | TupleV) or not isinstance(value, InstV):
            return None
        wanted = self._classes(types, module)
        if not wanted:
            return None
        if value.external:
            cls = self.resolver.types.canonical(value.cls)
            mro = self.resolver.types.mro(cls)
            complete = cls in self.resolver.types.bases  # its bases are known
        else:
            mro = self.resolver.mro(value.cls)
            complete = all(
                klass in self.resolver.classes or klass in self.resolver.types.bases
                for klass in mro
            )
        if any(w in mro for w in wanted):
            return True
        return False if complete else None

    def _classes(self, types: ir.Expr, module: ModuleSummary) -> list[str]:
        scope = self.resolver.module_scope(module)
        items = types.items if isinstance(types, ir.Tuple) else (types,)
        out = []
        for item in items:
            value = self.resolver.eval(scope, item)
            match value:
                case ClassV(qualname=qualname):
                    out.append(qualname)
                case ExtV(symbol=symbol):
                    out.append(self.resolver.types.canonical(symbol))
                case _:
                    return []  # one member not known: the test as a whole is not judged
        return out
