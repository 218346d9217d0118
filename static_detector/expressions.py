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
    names: dict[str, Expr]  # identifier -> its interned Name (a Name's memo, by what it says)

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
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            parsed = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
        return annotation(parsed)
    return expr_of(node, None)


def expr_of(node: ast.expr | None, fn: SummarizedFunction | None, depth: int = 0) -> Expr:
    """Symbolic form of an expression. Lambdas become FuncRefs (their bodies are summarized
    as their own functions by `fn`). Memoized per module: calls nest, and each level would
    otherwise rebuild its arguments. `depth`: how deep in an enclosing expression it is;
    what would lie deeper than MAX_DEPTH is UNKNOWN."""
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
        return ir.UNKNOWN, 0
    if depth >= MAX_DEPTH:
        return ir.UNKNOWN, _CUT
    if node.__class__ is ast.Name and fn is not None:  # the commonest node by far
        name = fn.names.get(node.id)
        if name is None:
            built = _name(node, fn)
            name = fn.names[node.id] = fn.interned.setdefault(built, built)
        return name, 0
    build = _BUILDERS.get(node.__class__)
    if build is None:  # a leaf: cheaper built again than memoized
        leaf = _LEAVES.get(node.__class__, _unknown)(node, fn)
        return (leaf if fn is None else fn.interned.setdefault(leaf, leaf)), 0
    if fn is None:
        return build(node, None, depth + 1)
    memo, key = fn.exprs, id(node)
    hit = memo.get(key)
    if hit is not None and depth + hit[1] < MAX_DEPTH:
        return hit
    built, height = build(node, fn, depth + 1)
    # hash-consing: one object per distinct expression (`self`, `self.store`), so the
    # pickled summary stores each once and loads faster
    built = fn.interned.setdefault(built, built)
    if height <= MAX_DEPTH:  # whole: reusable wherever it fits (a cut one is not)
        memo[key] = (built, height)
    return built, height


_Lowered = tuple[Expr, int]


# Leaves, by node type (a dict lookup, not a chain of isinstance): (node, fn) -> expression.
# Any other type but the builders' below is a leaf too: UNKNOWN.


def _unknown(node: ast.expr, fn: SummarizedFunction | None) -> Expr:
    return ir.UNKNOWN


def _name(node: ast.Name, fn: SummarizedFunction | None) -> Expr:
    return ir.Name(_intern_str(node.id))  # interned: pickled once per module, not per use


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
    value, height = _lower(node.value, fn, depth)
    return ir.Attr(value, _intern_str(node.attr)), _above(height)


def _call(node: ast.Call, fn: SummarizedFunction | None, depth: int) -> _Lowered:
    func, top = _lower(node.func, fn, depth)
    args = []
    for arg in node.args:
        expr, height = _lower(arg.value if arg.__class__ is ast.Starred else arg, fn, depth)
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
    return ir.Call(func, tuple(args), tuple(kwargs)), _above(top)


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


def condition(node: ast.expr, fn: SummarizedFunction, depth: int = 0) -> Expr:
    """A test (of an if, while, `and`/`or` operand, comprehension if) as written: comparisons,
    `not`, `and`, `or` over values; UNKNOWN for anything else (a test nobody can judge)."""
    built: Expr
    if depth >= MAX_DEPTH:  # `not not not ... x`, nested and/or: bounded like expressions
        return ir.UNKNOWN
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
