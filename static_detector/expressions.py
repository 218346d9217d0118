"""Python expressions (`ast`) -> the symbolic expressions of ir.py that summaries store."""

from __future__ import annotations

import ast
import sys
from typing import Protocol

from . import ir
from .ir import Expr

# Levels of one expression kept in a summary; what is nested deeper is UNKNOWN (a 200-call
# method chain is 400 levels). Everything that reads summaries walks expressions
# recursively (hashing, pickling, the resolver): bounded here, none of it can overflow.
MAX_DEPTH = 100


class SummarizedFunction(Protocol):
    """What lowering needs of the function being summarized."""

    # id(ast node) -> its expression and that expression's height, for the whole module
    exprs: dict[int, tuple[Expr, int]]
    interned: dict[Expr, Expr]

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


def _lower(node: ast.expr | None, fn: SummarizedFunction | None, depth: int) -> tuple[Expr, int]:
    """(expression, its height); the height is MAX_DEPTH + 1 where it was cut short."""
    if node is None:
        return ir.UNKNOWN, 0
    if depth >= MAX_DEPTH:
        return ir.UNKNOWN, MAX_DEPTH + 1
    if fn is None:
        return _expr_of(node, None, depth)
    memo = fn.exprs
    hit = memo.get(id(node))
    if hit is not None and depth + hit[1] < MAX_DEPTH:
        return hit
    built, height = _expr_of(node, fn, depth)
    # hash-consing: one object per distinct expression (`self`, `self.store`), so the
    # pickled summary stores each once and loads faster
    built = fn.interned.setdefault(built, built)
    if height <= MAX_DEPTH:  # whole: reusable wherever it fits (a cut one is not)
        memo[id(node)] = (built, height)
    return built, height


class _Parts:
    """Lowers the sub-expressions of one node, one level deeper, and keeps their height."""

    __slots__ = ("depth", "fn", "height")

    def __init__(self, fn: SummarizedFunction | None, depth: int) -> None:
        self.fn = fn
        self.depth = depth + 1
        self.height = 0

    def __call__(self, node: ast.expr | None) -> Expr:
        expr, height = _lower(node, self.fn, self.depth)
        if height + 1 > self.height:
            self.height = min(height + 1, MAX_DEPTH + 1)
        return expr


def _expr_of(node: ast.expr, fn: SummarizedFunction | None, depth: int) -> tuple[Expr, int]:
    sub = _Parts(fn, depth)
    return _build(node, fn, sub), sub.height


def _build(node: ast.expr, fn: SummarizedFunction | None, sub: _Parts) -> Expr:
    if isinstance(node, ast.Name):
        return ir.Name(sys.intern(node.id))  # interned: pickled once per module, not per use
    if isinstance(node, ast.Attribute):
        return ir.Attr(sub(node.value), sys.intern(node.attr))
    if isinstance(node, ast.Call):
        return ir.Call(
            sub(node.func),
            tuple(sub(a.value if isinstance(a, ast.Starred) else a) for a in node.args),
            tuple((k.arg, sub(k.value)) for k in node.keywords if k.arg),
        )
    if isinstance(node, ast.Constant):
        return _const(node.value)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Div):
            return ir.BinOp("/", sub(node.left), sub(node.right))
        if isinstance(node.op, ast.BitOr):
            return ir.BinOp("|", sub(node.left), sub(node.right))
        if isinstance(node.op, ast.Add):
            return ir.BinOp("+", sub(node.left), sub(node.right))
        return ir.UNKNOWN
    if isinstance(node, ast.Subscript):
        return ir.Subscript(sub(node.value), sub(node.slice))
    if isinstance(node, ast.Await):
        return ir.Await(sub(node.value))
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return ir.OneOf(tuple(sub(v) for v in node.values))
    if isinstance(node, ast.IfExp):
        return ir.OneOf((sub(node.body), sub(node.orelse)))
    if isinstance(node, ast.Lambda) and fn is not None:
        return ir.FuncRef(fn.lambda_qualname(node))
    if isinstance(node, (ast.Tuple, ast.List)):
        return ir.Tuple(tuple(sub(e) for e in node.elts))
    if isinstance(node, ast.NamedExpr):
        return sub(node.value)
    if isinstance(node, ast.JoinedStr):
        return ir.Const("")
    # typed, so `d.get(k)` is no Queue.get; empty or not, for `x = x or {...}` guards
    if isinstance(node, ast.Dict):
        return _DISPLAYS["dict", not node.keys]
    if isinstance(node, ast.Set):
        return _DISPLAYS["set", False]
    if isinstance(node, ast.DictComp):
        return _DISPLAYS["dict", None]
    if isinstance(node, ast.SetComp):
        return _DISPLAYS["set", None]
    if isinstance(node, ast.ListComp):
        return _DISPLAYS["list", None]
    return ir.UNKNOWN


_DISPLAYS = {
    (kind, empty): ir.Display(kind, empty)
    for kind in ("dict", "set", "list")
    for empty in (True, False, None)
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
