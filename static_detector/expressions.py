"""Python expressions (`ast`) -> the symbolic expressions of ir.py that summaries store."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from . import ir
from .ir import Expr

# Levels of one expression kept in a summary; what is nested deeper is UNKNOWN (a 200-call
# method chain is 400 levels). Everything that reads summaries walks expressions
# recursively (hashing, pickling, the resolver): bounded here, none of it can overflow.
MAX_DEPTH = 100
_CUT = MAX_DEPTH + 1  # the height of an expression cut short

_intern_str = sys.intern


class SummarizedFunction(Protocol):
    """What lowering needs of the function being summarized."""

    # id(ast node) -> its expression and that expression's height, for the whole module
    exprs: dict[int, tuple[Expr, int]]
    interned: dict[Expr, Expr]
    # identifier -> (its interned Name, 0) (a Name's memo, by what it says); likewise a
    # string constant's, by its value (the commonest leaves: no Const built per use)
    names: dict[str, tuple[Expr, int]]
    strings: dict[str, tuple[Expr, int]]
    constants: dict[tuple[type, object], tuple[Expr, int]]  # None's, ints', bools'

    def lambda_qualname(self, node: ast.Lambda) -> str: ...


def _const(value: object) -> ir.Const:
    if isinstance(value, str):
        return ir.Const(value if len(value) <= 40 else value[:40])
    if isinstance(value, bool):
        # its own kind tag: False == 0 as tuples, and hash-consing would merge them
        return ir.Const(value, "KB")
    if isinstance(value, float):  # likewise 0.0 == 0 (`timeout=0` must stay an int 0)
        return ir.Const(value, "KF")
    if isinstance(value, int) or value is None:
        return ir.Const(value)
    return ir.Const(None)


def annotation(node: ast.expr | None) -> Expr | None:
    """Annotations may be strings (`"Store"`, PEP 563); parse those into expressions."""
    if node is None:
        return None
    if node.__class__ is _Constant and node.value.__class__ is str:
        text = node.value
        parsed: ast.AST | None = _PARSED.get(text, _UNPARSED)
        if parsed is _UNPARSED:
            if len(_PARSED) >= 4096:
                _PARSED.clear()
            try:
                parsed = _PARSED[text] = ast.parse(text, mode="eval").body
            except SyntaxError:
                parsed = _PARSED[text] = None
        return None if parsed is None else annotation(parsed)  # type: ignore[arg-type]
    return expr_of(node, None)


# A string annotation's text -> its expression parsed (None: not an expression), for every
# module: `"Store"` is written in many. Annotations are lowered from it each time, never
# memoized (expressions of no function: new objects, as before).
_PARSED: dict[str, ast.expr | None] = {}
_UNPARSED = ast.Pass()


def expr_of(node: ast.expr | None, fn: SummarizedFunction | None, depth: int = 0) -> Expr:
    """Symbolic form of an expression. Lambdas become FuncRefs (their bodies are summarized
    as their own functions by `fn`). Memoized per module: calls nest, and each level would
    otherwise rebuild its arguments. `depth`: how deep in an enclosing expression it is;
    what would lie deeper than MAX_DEPTH is UNKNOWN."""
    if node.__class__ is _Name and fn is not None and depth < MAX_DEPTH:  # (_lower's own)
        return (fn.names.get(node.id) or _new_name(node.id, fn))[0]
    return _lower(node, fn, depth)[0]


def call_of(node: ast.Call, fn: SummarizedFunction) -> ir.Call:
    """A call whose callee, arguments and keyword arguments are each their `expr_of`."""
    call, height = _lower(node, fn, 0)  # whole: so are its parts, the memoized ones
    if height > MAX_DEPTH:  # cut short: its parts lowered one level higher
        call = _call(node, fn, 0)[0]
    return call  # type: ignore[return-value]  # (a Call node lowers to a Call)


def _lower(node: ast.expr | None, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    """(expression, its height); the height is _CUT where it was cut short."""
    if node is None:
        return _NOTHING
    if depth >= MAX_DEPTH:
        return _CUT_SHORT
    cls = node.__class__
    if fn is None:  # (annotations: nothing memoized, nothing interned)
        build = _BUILDERS.get(cls)
        if build is None:
            return _LEAVES.get(cls, _unknown)(node, None), 0
        return build(node, None, depth + 1)
    if cls is _Name:  # the commonest node by far
        name: str = node.id  # type: ignore[attr-defined]  # (an ast.Name)
        return fn.names.get(name) or _new_name(name, fn)
    build = _BUILDERS.get(cls)
    if build is None:  # a leaf: cheaper built again than memoized (but for strings)
        if cls is _Constant:
            value = node.value  # type: ignore[attr-defined]  # (an ast.Constant)
            if value.__class__ is str:
                return fn.strings.get(value) or _new_string(value, fn)
            if value is None or value.__class__ is int or value.__class__ is bool:
                kind = (value.__class__, value)  # (True == 1: each kind apart)
                return fn.constants.get(kind) or _new_constant(kind, fn)
        leaf = _LEAVES.get(cls, _unknown)(node, fn)
        return fn.interned.setdefault(leaf, leaf), 0
    memo, key = fn.exprs, id(node)
    hit = memo.get(key)
    if hit is not None and depth + hit[1] < MAX_DEPTH:
        return hit
    built, height = build(node, fn, depth + 1)
    # hash-consing: one object per distinct expression (`self`, `self.store`), so the
    # pickled summary stores each once and loads faster
    built = fn.interned.setdefault(built, built)
    if height <= MAX_DEPTH:  # whole: reusable wherever it fits (a cut one is not)
        hit = memo[key] = (built, height)
        return hit
    return built, height


def _new_name(identifier: str, fn: SummarizedFunction) -> _Lowered:
    built = _new(_Name_, (_intern_str(identifier), "N"))  # (interned: see _name)
    lowered = fn.names[identifier] = (fn.interned.setdefault(built, built), 0)
    return lowered


def _new_string(value: str, fn: SummarizedFunction) -> _Lowered:
    built = _const(value)
    lowered = fn.strings[value] = (fn.interned.setdefault(built, built), 0)
    return lowered


def _new_constant(key: tuple[type, object], fn: SummarizedFunction) -> _Lowered:
    built = _const(key[1])
    lowered = fn.constants[key] = (fn.interned.setdefault(built, built), 0)
    return lowered


_NOTHING: _Lowered = (ir.UNKNOWN, 0)
_CUT_SHORT: _Lowered = (ir.UNKNOWN, _CUT)
_Name = ast.Name
_Constant = ast.Constant
_Starred = ast.Starred

# The ir nodes the hottest builders make, built as the tuples they are: their NamedTuple
# constructors are Python functions (a call each, twice the time). The fields are checked
# here, once: a field added to one of them in ir.py must be added below too.
_new = tuple.__new__
_Name_ = ir.Name
for _node, _fields in (
    (ir.Name, ("id", "k")),
    (ir.Attr, ("value", "attr", "k")),
    (ir.Call, ("func", "args", "kwargs", "k")),
):
    if _node._fields != _fields:  # pragma: no cover (a reminder for who changes ir.py)
        raise TypeError(f"expressions.py builds ir.{_node.__name__} as {_fields}")


_Lowered = tuple[Expr, int]


# Leaves, by node type (a dict lookup, not a chain of isinstance): (node, fn) -> expression.
# Any other type but the builders' below is a leaf too: UNKNOWN.


def _unknown(node: ast.expr, fn: SummarizedFunction | None) -> Expr:
    return ir.UNKNOWN


def _name(node: ast.Name, fn: SummarizedFunction | None) -> Expr:
    # interned: pickled once per module, not per use
    return _new(_Name_, (_intern_str(node.id), "N"))


def _constant(node: ast.Constant, fn: SummarizedFunction | None) -> Expr:
    return _const(node.value)


def _lambda(node: ast.Lambda, fn: SummarizedFunction | None) -> Expr:
    return ir.UNKNOWN if fn is None else ir.FuncRef(fn.lambda_qualname(node))


_DISPLAYS = {
    (kind, empty): ir.Display(kind, empty)
    for kind in ("dict", "set", "list")
    for empty in (True, False, None)
}


def _display(kind: str, empty: bool | None) -> Callable[[Any, SummarizedFunction | None], Expr]:
    return lambda node, fn: _DISPLAYS[kind, empty]


def _dict(node: ast.Dict, fn: SummarizedFunction | None) -> Expr:
    return _DISPLAYS["dict", not node.keys]


_LEAVES: dict[type, Callable[[Any, SummarizedFunction | None], Expr]] = {
    ast.Name: _name,
    ast.Constant: _constant,
    ast.Lambda: _lambda,
    ast.JoinedStr: lambda node, fn: ir.Const(""),
    # typed, so `d.get(k)` is no Queue.get; empty or not, for `x = x or {...}` guards
    ast.Dict: _dict,
    ast.Set: _display("set", False),
    ast.DictComp: _display("dict", None),
}


# Builders of the nodes with parts: (node, fn, the depth of its parts) -> (expression,
# height). They lower the parts in source order (that order names lambdas and picks the
# interned objects). A node's height is one more than its highest part's, at most _CUT.


def _above(top: int) -> int:
    """The height of a node whose highest part has height `top` (-1: no parts)."""
    return top + 1 if top < _CUT else _CUT


def _lower_all(
    nodes: Iterable[ast.expr], fn: SummarizedFunction | None, depth: int
) -> tuple[tuple[Expr, ...], int]:
    """The nodes lowered, and the highest of their heights (-1 for none)."""
    exprs = []
    top = -1
    for node in nodes:
        expr, height = _lower(node, fn, depth)
        exprs.append(expr)
        if height > top:
            top = height
    return tuple(exprs), top


def _attribute(node: ast.Attribute, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    value = node.value
    if value.__class__ is _Name and fn is not None and depth < MAX_DEPTH:  # (_lower's own)
        return _new(_Attr, (
            (fn.names.get(value.id) or _new_name(value.id, fn))[0], _intern_str(node.attr), "A"
        )), 1  # fmt: skip
    lowered, height = _lower(value, fn, depth)
    return _new(_Attr, (lowered, _intern_str(node.attr), "A")), _above(height)


def _call(node: ast.Call, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    func, top = _lower(node.func, fn, depth)
    # names (the commonest arguments: height 0) looked up here, as _lower would
    names = fn.names if fn is not None and depth < MAX_DEPTH else None
    args = []
    for arg in node.args:
        cls = arg.__class__
        if cls is _Starred:
            arg = arg.value  # type: ignore[attr-defined]  # (an ast.Starred)
            cls = arg.__class__
        if cls is _Name and names is not None:
            name: str = arg.id  # type: ignore[attr-defined]  # (an ast.Name)
            args.append((names.get(name) or _new_name(name, fn))[0])  # type: ignore[arg-type]
            continue
        expr, height = _lower(arg, fn, depth)
        args.append(expr)
        if height > top:
            top = height
    kwargs = []
    for keyword in node.keywords:
        if keyword.arg:
            expr, height = _lower(keyword.value, fn, depth)
            kwargs.append((keyword.arg, expr))
            if height > top:
                top = height
    return _new(_Call, (func, tuple(args), tuple(kwargs), "C")), top + 1 if top < _CUT else _CUT


_Attr = ir.Attr
_Call = ir.Call


_BINOPS = {ast.Div: "/", ast.BitOr: "|", ast.Add: "+"}


def _binop(node: ast.BinOp, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    op = _BINOPS.get(node.op.__class__)
    if op is None:
        return ir.UNKNOWN, 0
    left, left_height = _lower(node.left, fn, depth)
    right, right_height = _lower(node.right, fn, depth)
    return ir.BinOp(op, left, right), _above(max(left_height, right_height))


def _subscript(node: ast.Subscript, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    value, value_height = _lower(node.value, fn, depth)
    item, item_height = _lower(node.slice, fn, depth)
    return ir.Subscript(value, item), _above(max(value_height, item_height))


def _await(node: ast.Await, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    value, height = _lower(node.value, fn, depth)
    return ir.Await(value), _above(height)


def _boolop(node: ast.BoolOp, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    if node.op.__class__ is not ast.Or:
        return ir.UNKNOWN, 0
    options, top = _lower_all(node.values, fn, depth)
    return ir.OneOf(options), _above(top)


def _ifexp(node: ast.IfExp, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    options, top = _lower_all((node.body, node.orelse), fn, depth)
    return ir.OneOf(options), _above(top)


def _sequence(node: ast.Tuple | ast.List, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    items, top = _lower_all(node.elts, fn, depth)
    return ir.Tuple(items), _above(top)


def _comprehension(
    node: ast.ListComp | ast.SetComp, fn: SummarizedFunction | None, depth: int
) -> _Lowered:
    """A new list or set of what its element expression gives (its loop variables are
    bound in the function, as elements of their iterables)."""
    kind = "list" if node.__class__ is ast.ListComp else "set"
    if fn is None:
        return _DISPLAYS[kind, None], 0
    elem, height = _lower(node.elt, fn, depth)
    return ir.Display(kind, None, elem), _above(height)


def _namedexpr(node: ast.NamedExpr, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    value, height = _lower(node.value, fn, depth)
    return value, _above(height)


_BUILDERS: dict[type, Callable[[Any, SummarizedFunction | None, int], _Lowered]] = {
    ast.Attribute: _attribute,
    ast.Call: _call,
    ast.BinOp: _binop,
    ast.Subscript: _subscript,
    ast.Await: _await,
    ast.BoolOp: _boolop,
    ast.IfExp: _ifexp,
    ast.Tuple: _sequence,
    ast.List: _sequence,
    ast.NamedExpr: _namedexpr,
    ast.ListComp: _comprehension,
    ast.SetComp: _comprehension,
}


def targets(node: ast.expr) -> list[tuple[str, int | None]]:
    """Names bound by an assignment target; (name, index in a tuple unpacking or None)."""
    if isinstance(node, ast.Name):
        return [(node.id, None)]
    if isinstance(node, (ast.Tuple, ast.List)):
        out: list[tuple[str, int | None]] = []
        for i, elt in enumerate(node.elts):
            if isinstance(elt, ast.Name):
                out.append((elt.id, i))
            elif isinstance(elt, ast.Starred) and isinstance(elt.value, ast.Name):
                out.append((elt.value.id, None))
        return out
    return []


# -- conditions -----------------------------------------------------------------------------

_COMPARISONS: dict[type, str] = {
    ast.Is: "is", ast.IsNot: "is not", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
    ast.NotIn: "not in", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
}  # fmt: skip

# tests whose truthiness is that of their value
_VALUES = (ast.Name, ast.Attribute, ast.Call, ast.Constant, ast.Subscript, ast.NamedExpr)
_VALUE_CLASSES = frozenset(_VALUES)


def condition(node: ast.expr, fn: SummarizedFunction, depth: int = 0) -> Expr:
    """A test (of an if, while, `and`/`or` operand, comprehension if) as written: comparisons,
    `not`, `and`, `or` over values; UNKNOWN for anything else (a test nobody can judge)."""
    built: Expr
    if depth >= MAX_DEPTH:  # `not not not ... x`, nested and/or: bounded like expressions
        return ir.UNKNOWN
    if node.__class__ in _VALUE_CLASSES:  # the commonest (as the isinstance below)
        return expr_of(node, fn, depth)
    if isinstance(node, ast.Compare):
        left = expr_of(node.left, fn, depth + 1)
        parts: list[Expr] = []
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = expr_of(comparator, fn, depth + 1)
            parts.append(_intern(fn, ir.Compare(_COMPARISONS[op.__class__], left, right)))
            left = right
        built = parts[0] if len(parts) == 1 else ir.AllOf(tuple(parts))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        built = ir.Not(condition(node.operand, fn, depth + 1))
    elif isinstance(node, ast.BoolOp):
        items = tuple(condition(value, fn, depth + 1) for value in node.values)
        built = ir.AllOf(items) if isinstance(node.op, ast.And) else ir.OneOf(items)
    elif isinstance(node, _VALUES):
        return expr_of(node, fn, depth)
    else:
        return ir.UNKNOWN
    return _intern(fn, built)


def pattern_condition(
    subject: Expr, node: ast.pattern, fn: SummarizedFunction, depth: int = 0
) -> Expr:
    """When a `case` pattern matches `subject`, as a condition: literals and `None` as
    comparisons, a class pattern as `isinstance(subject, C)`, alternatives as OneOf, a bare
    name or `_` as always; sequence and mapping patterns UNKNOWN."""
    built: Expr
    if depth >= MAX_DEPTH:
        return ir.UNKNOWN
    if isinstance(node, ast.MatchValue):
        built = ir.Compare("==", subject, expr_of(node.value, fn))
    elif isinstance(node, ast.MatchSingleton):
        built = ir.Compare("is", subject, _const(node.value))
    elif isinstance(node, ast.MatchClass):
        built = ir.Call(ir.Name("isinstance"), (subject, expr_of(node.cls, fn)))
        if node.patterns or node.kwd_patterns:  # and its attributes match: not judged
            built = ir.AllOf((_intern(fn, built), ir.UNKNOWN))
    elif isinstance(node, ast.MatchOr):
        built = ir.OneOf(tuple(pattern_condition(subject, p, fn, depth + 1) for p in node.patterns))
    elif isinstance(node, ast.MatchAs):
        if node.pattern is None:
            return _intern(fn, ir.Const(True, "KB"))
        return pattern_condition(subject, node.pattern, fn, depth + 1)
    else:
        return ir.UNKNOWN
    return _intern(fn, built)


def _intern(fn: SummarizedFunction, expr: Expr) -> Expr:
    return fn.interned.setdefault(expr, expr)
