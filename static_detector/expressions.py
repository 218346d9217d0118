"""Python expressions (`ast`) -> the symbolic expressions of ir.py that summaries store."""

from __future__ import annotations

import ast
import sys
from typing import Protocol

from . import ir
from .ir import Expr


class SummarizedFunction(Protocol):
    """What lowering needs of the function being summarized."""

    exprs: dict[int, Expr]  # id(ast node) -> its expression, for the whole module
    interned: dict[Expr, Expr]

    def lambda_qualname(self, node: ast.Lambda) -> str: ...


def _const(value: object) -> ir.Const:
    if isinstance(value, str):
        return ir.Const(value if len(value) <= 40 else value[:40])
    if isinstance(value, bool):
        # its own kind tag: False == 0 as tuples, and hash-consing would merge them
        return ir.Const(value, "KB")
    if isinstance(value, (int, float)) or value is None:
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


def expr_of(node: ast.expr | None, fn: SummarizedFunction | None) -> Expr:
    """Symbolic form of an expression. Lambdas become FuncRefs (their bodies are summarized
    as their own functions by `fn`). Memoized per module: calls nest, and each level would
    otherwise rebuild its arguments."""
    if node is None:
        return ir.UNKNOWN
    if fn is None:
        return _expr_of(node, None)
    memo = fn.exprs
    hit = memo.get(id(node))
    if hit is None:
        built = _expr_of(node, fn)
        # hash-consing: one object per distinct expression (`self`, `self.store`), so the
        # pickled summary stores each once and loads faster
        hit = memo[id(node)] = fn.interned.setdefault(built, built)
    return hit


def _expr_of(node: ast.expr, fn: SummarizedFunction | None) -> Expr:
    if node is None:
        return ir.UNKNOWN
    if isinstance(node, ast.Name):
        return ir.Name(sys.intern(node.id))  # interned: pickled once per module, not per use
    if isinstance(node, ast.Attribute):
        return ir.Attr(expr_of(node.value, fn), sys.intern(node.attr))
    if isinstance(node, ast.Call):
        return ir.Call(
            expr_of(node.func, fn),
            tuple(expr_of(a.value if isinstance(a, ast.Starred) else a, fn) for a in node.args),
            tuple((k.arg, expr_of(k.value, fn)) for k in node.keywords if k.arg),
        )
    if isinstance(node, ast.Constant):
        return _const(node.value)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Div):
            return ir.BinOp("/", expr_of(node.left, fn), expr_of(node.right, fn))
        if isinstance(node.op, ast.BitOr):
            return ir.BinOp("|", expr_of(node.left, fn), expr_of(node.right, fn))
        if isinstance(node.op, ast.Add):
            return ir.BinOp("+", expr_of(node.left, fn), expr_of(node.right, fn))
        return ir.UNKNOWN
    if isinstance(node, ast.Subscript):
        return ir.Subscript(expr_of(node.value, fn), expr_of(node.slice, fn))
    if isinstance(node, ast.Await):
        return ir.Await(expr_of(node.value, fn))
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return ir.OneOf(tuple(expr_of(v, fn) for v in node.values))
    if isinstance(node, ast.IfExp):
        return ir.OneOf((expr_of(node.body, fn), expr_of(node.orelse, fn)))
    if isinstance(node, ast.Lambda) and fn is not None:
        return ir.FuncRef(fn.lambda_qualname(node))
    if isinstance(node, (ast.Tuple, ast.List)):
        return ir.Tuple(tuple(expr_of(e, fn) for e in node.elts))
    if isinstance(node, ast.NamedExpr):
        return expr_of(node.value, fn)
    if isinstance(node, ast.JoinedStr):
        return ir.Const("")
    if isinstance(node, (ast.Dict, ast.DictComp)):  # typed, so `d.get(k)` is no Queue.get
        return _BUILTIN_CALLS["dict"]
    if isinstance(node, (ast.Set, ast.SetComp)):
        return _BUILTIN_CALLS["set"]
    if isinstance(node, ast.ListComp):
        return _BUILTIN_CALLS["list"]
    return ir.UNKNOWN


_BUILTIN_CALLS = {name: ir.Call(ir.Name(name)) for name in ("dict", "set", "list")}


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
