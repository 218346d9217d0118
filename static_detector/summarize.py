"""One module's source -> a ModuleSummary: the facts the whole-program analysis needs.

Built with `ast` (fast) in worker processes and cached by content hash. Everything that
needs other modules (what a name refers to, a receiver's type) is left symbolic (see ir.py)
and resolved later by resolver.py.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from . import ir
from .expressions import (
    MAX_DEPTH,
    annotation,
    call_of,
    condition,
    expr_of,
    pattern_condition,
    targets,
)
from .ir import Expr
from .source import SourceError, decode_source, deepest_line, parse_source
from .summary import (
    CallSite,
    ClassSummary,
    DefKind,
    FuncSummary,
    FunctionKind,
    ModuleSummary,
    NameUse,
    Region,
    RegionKind,
    Use,
)
from .suppressions import suppressions

# The visitor recurses a few frames per level of nesting: 500 `elif`s or a 600-call method
# chain (which CPython compiles) overflow the default limit of 1000. Such a module is walked
# again on a thread with a deep stack and this many frames allowed, and what is deeper
# still (the parser builds a few thousand levels) costs its function, not the module.
DEEP_FRAMES = 100_000
DEEP_STACK = 512 * 1024 * 1024  # bytes of address space; only what is used is committed

_T = TypeVar("_T")

# a string that names something: `Impl`, `pkg.mod.Impl`, `pkg.mod:Impl`
_DOTTED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*([.:][A-Za-z_][A-Za-z0-9_]*)*$")
_NAME_PARTS = re.compile(r"[.:]")
# calls that take an attribute's name as a string, and the position of that argument
_NAME_ARGUMENT = {"getattr": 1, "hasattr": 1, "methodcaller": 0, "attrgetter": 0}


def summarize(raw: bytes, module: str, path: str, is_package: bool) -> ModuleSummary:
    """Parse and summarize one module. Raises SourceError for files it cannot read."""
    text = decode_source(raw)
    tree = parse_source(text, path)

    def walk(deep: bool) -> ModuleSummary:
        summary = ModuleSummary(
            module=module,
            path=path,
            is_package=is_package,
            sha256=hashlib.sha256(raw).hexdigest(),
            lines=text.count("\n") + (0 if text.endswith("\n") or not text else 1),
        )
        _ModuleVisitor(summary, isolate=deep).run(tree)
        return summary

    try:
        summary = walk(deep=False)
    except RecursionError:
        try:
            summary = _on_deep_stack(walk, True)
        except (RecursionError, RuntimeError, MemoryError, ValueError):
            # RuntimeError/ValueError: no thread with such a stack here (limits, platform)
            line = deepest_line(tree)
            raise SourceError("too-deep", "nesting too deep to analyse", line) from None
    summary.suppressions = suppressions(text)
    return summary


def _on_deep_stack(fn: Callable[[bool], _T], arg: bool) -> _T:
    """`fn(arg)` on a new thread with a DEEP_STACK-byte stack and DEEP_FRAMES frames allowed
    (the limit is the interpreter's: restored when the thread is done)."""
    outcome: list[_T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(fn(arg))
        except BaseException as exc:  # re-raised in the caller
            failure.append(exc)

    limit = sys.getrecursionlimit()
    size = threading.stack_size()
    sys.setrecursionlimit(max(limit, DEEP_FRAMES))
    try:
        threading.stack_size(DEEP_STACK)
        try:  # the size applies to threads started while it is set
            thread = threading.Thread(target=run, name="blocking-io-deep-walk", daemon=True)
            thread.start()
        finally:
            threading.stack_size(size)
        thread.join()
    finally:
        sys.setrecursionlimit(limit)
    if failure:
        raise failure[0]
    return outcome[0]


# -- visitors -------------------------------------------------------------------------------

# what the context stack holds: (use, parent call, assigned name)
_Context = tuple[Use, int, str | None]
_OTHER: _Context = (Use.OTHER, -1, None)
# what the hot visits compare with, as module globals (an enum member's lookup through its
# class costs ten times more)
_CALLEE, _ARG, _ASSIGN = Use.CALLEE, Use.ARG, Use.ASSIGN
_IN_STMT: _Context = (Use.STMT, -1, None)
_IN_RETURN: _Context = (Use.RETURN, -1, None)
_IN_AWAIT: _Context = (Use.AWAIT, -1, None)
_IN_ITER: _Context = (Use.ITER, -1, None)
_IN_AITER: _Context = (Use.AITER, -1, None)
_IN_WITH: _Context = (Use.WITH, -1, None)
_LOAD, _NAME, _ATTRIBUTE, _STARRED = ast.Load, ast.Name, ast.Attribute, ast.Starred
_IF = ast.If
_new_tuple = tuple.__new__
_Node = ast.stmt | ast.expr


class _ModuleVisitor:
    def __init__(self, summary: ModuleSummary, isolate: bool = False) -> None:
        self.summary = summary
        # a function (or module-level statement) too deep to walk is left out alone
        self.isolate = isolate
        # id(ast node) -> expression and its height (the nodes outlive the visit)
        self.exprs: dict[int, tuple[Expr, int]] = {}
        self.interned: dict[Expr, Expr] = {}
        self.names: dict[str, tuple[Expr, int]] = {}
        self.strings: dict[str, tuple[Expr, int]] = {}
        self.constants: dict[tuple[type, object], tuple[Expr, int]] = {}
        self.tests: dict[int, Expr] = {}  # id(ast node) -> the test as a condition
        self.mentions: set[str] = set()  # (ModuleSummary.mentions)
        self.escapes: set[str] = set()  # (ModuleSummary.escapes)
        self.words: set[str] = set()  # (ModuleSummary.words)
        self.dynamic_attributes = False
        base = summary.module if summary.is_package else summary.module.rpartition(".")[0]
        self.package = base

    def run(self, tree: ast.Module) -> None:
        module_fn = FuncSummary(
            qualname="<module>",
            line=1,
            end_line=self.summary.lines,
            is_async=False,
            is_generator=False,
            kind=FunctionKind.MODULE,
            class_name=None,
        )
        self.summary.functions["<module>"] = module_fn
        visitor = _FunctionVisitor(self, module_fn, prefix="")
        visitor.visit_body(tree.body, top_level=True)
        visitor.finish()
        self.summary.mentions = frozenset(self.mentions)
        self.summary.escapes = frozenset(self.escapes)
        self.summary.words = frozenset(self.words)
        self.summary.dynamic_attributes = self.dynamic_attributes

    def lose(self, fs: FuncSummary) -> FuncSummary:
        """Leave a function too deep to walk out: what it calls is unknown, and so is what
        is defined inside it; it is still a function (calls to it resolve)."""
        stub = FuncSummary(
            qualname=fs.qualname,
            line=fs.line,
            end_line=fs.end_line,
            is_async=fs.is_async,
            is_generator=False,
            kind=fs.kind,
            class_name=fs.class_name,
            decorators=fs.decorators,
            params=fs.params,
            returns=fs.returns,
        )
        inner = fs.qualname + ".<locals>."
        for qualname in [q for q in self.summary.functions if q.startswith(inner)]:
            del self.summary.functions[qualname]
        for qualname in [q for q in self.summary.classes if q.startswith(inner)]:
            del self.summary.classes[qualname]
        self.summary.functions[fs.qualname] = stub
        self.summary.too_deep.append((fs.qualname, fs.line))
        return stub

    # imports ------------------------------------------------------------------------------
    def resolve_relative(self, module: str | None, level: int) -> str:
        if level == 0:
            return module or ""
        parts = self.package.split(".") if self.package else []
        if level > 1:
            parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
        base = ".".join(parts)
        if module:
            return f"{base}.{module}" if base else module
        return base

    def add_import(self, local: str, target: str) -> None:
        existing = self.summary.imports.get(local, ())
        if target not in existing:
            self.summary.imports[local] = (*existing, target)


class _FunctionVisitor(ast.NodeVisitor):
    """Collects the facts of one function body (nested defs get their own visitor)."""

    stmt_line = 0

    def visit(self, node: ast.AST) -> None:
        # (the hottest callers look the method up in _VISIT themselves: a call less)
        _VISIT[node.__class__](self, node)

    def _skip(self, node: ast.AST) -> None:
        pass

    def _children(self, node: ast.AST) -> None:
        # the commonest nodes' parts by name (_PARTS), not by reflection over every field
        for name in _PARTS.get(node.__class__) or node._fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        _VISIT[item.__class__](self, item)
            elif isinstance(value, ast.AST):
                _VISIT[value.__class__](self, value)

    def __init__(
        self,
        module: _ModuleVisitor,
        summary: FuncSummary,
        prefix: str,
    ) -> None:
        self.module = module
        self.summary = summary
        self.prefix = prefix  # qualname prefix for nested definitions
        self.exprs = module.exprs  # (expressions.SummarizedFunction)
        self.interned = module.interned
        self.names = module.names
        self.strings = module.strings
        self.constants = module.constants
        self.lambda_nodes: dict[int, str] = {}
        self.pending_lambdas: list[tuple[str, ast.Lambda]] = []
        self.call_bound: set[str] = set()
        self.top_level = False  # module level: names bind globals
        # the innermost context last; _OTHER at the bottom stands for none
        self.context_stack: list[_Context] = [_OTHER]
        self.receiver: ast.expr | None = None  # the value of the attribute being visited
        self.self_name: str | None = None
        self.region = -1  # innermost open Region (index in summary.regions)

    # entry points -------------------------------------------------------------------------
    def visit_body(self, body: list[ast.stmt], top_level: bool = False) -> None:
        self.call_bound = _names_bound_to_calls(body)
        self.top_level = top_level
        if top_level and self.module.isolate:
            self.isolated_statements(body)
        else:
            self.statements(body)

    def isolated_statements(self, body: list[ast.stmt]) -> None:
        """The module body, where a statement too deep to walk is left out alone (the
        functions it would define are not: each is isolated in `_define_function`)."""
        f = self.summary
        for stmt in body:
            marks = (len(f.calls), len(f.attr_loads), len(f.regions), len(self.context_stack))
            uses = {name: len(found) for name, found in f.name_uses.items()}
            region, line = self.region, self.stmt_line
            try:
                self.statements([stmt])
            except RecursionError:
                # undo the part of the statement that was walked: no half-recorded call
                # whose arguments (or callee) are missing
                del f.calls[marks[0] :], f.attr_loads[marks[1] :], f.regions[marks[2] :]
                del self.context_stack[marks[3] :]
                for name in list(f.name_uses):
                    if name not in uses:
                        del f.name_uses[name]
                    else:
                        del f.name_uses[name][uses[name] :]
                self.region, self.stmt_line = region, line
                self.module.summary.too_deep.append(("", stmt.lineno))

    def finish(self) -> None:
        while self.pending_lambdas:
            qualname, node = self.pending_lambdas.pop(0)
            fs = FuncSummary(
                qualname=qualname,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                is_async=False,
                is_generator=False,
                kind=FunctionKind.LAMBDA,
                class_name=None,
                params=tuple((a.arg, None) for a in node.args.args),
                **_binding(node.args, self),
            )
            self.module.summary.functions[qualname] = fs
            sub = _FunctionVisitor(self.module, fs, prefix=qualname + ".<locals>.")
            try:
                fs.return_exprs = (expr_of(node.body, sub),)
                fs.return_at = ((node.lineno, -1),)
                sub.with_context(_IN_RETURN, node.body)
                sub.finish()
            except RecursionError:
                if not self.module.isolate:
                    raise
                self.module.lose(fs)

    def lambda_qualname(self, node: ast.Lambda) -> str:
        key = id(node)
        if key not in self.lambda_nodes:
            base = self.prefix if self.summary.kind is not FunctionKind.MODULE else ""
            if self.summary.kind is not FunctionKind.MODULE and not base:
                base = self.summary.qualname + ".<locals>."
            qualname = f"{base}<lambda@{node.lineno}:{node.col_offset}>"
            self.lambda_nodes[key] = qualname
            self.pending_lambdas.append((qualname, node))
        return self.lambda_nodes[key]

    # helpers ------------------------------------------------------------------------------
    def with_context(self, context: _Context, node: ast.AST) -> None:
        """Visit `node` in `context` (use, parent call, assigned name)."""
        stack = self.context_stack
        stack.append(context)
        _VISIT[node.__class__](self, node)
        stack.pop()

    def current_context(self) -> _Context:
        return self.context_stack[-1]

    def open_region(
        self, kind: RegionKind, expr: Expr, when: bool, first: _Node, last: _Node
    ) -> int:
        """Open a region from `first` to `last`; closed by restoring `self.region` to what
        this returns."""
        outer = self.region
        regions = self.summary.regions
        regions.append(
            _new_tuple(  # (Region, built as the tuple it is: checked below)
                Region, (kind, outer, expr, when, first.lineno, last.end_lineno or last.lineno)
            )
        )
        self.region = len(regions) - 1
        return outer

    def block(
        self, body: list[ast.stmt], kind: RegionKind, expr: Expr = ir.UNKNOWN, when: bool = True
    ) -> None:
        outer = self.open_region(kind, expr, when, body[0], body[-1])
        self.statements(body)
        self.region = outer

    def statements(self, body: list[ast.stmt]) -> None:
        """A block; what follows an `if` that always leaves it runs only on the other branch."""
        outer = self.region
        last = len(body) - 1
        line = self.stmt_line
        for i, stmt in enumerate(body):
            # (_VISIT's method for a statement, without its wrapper: a call less)
            self.stmt_line = stmt.lineno
            _VISIT_STMT[stmt.__class__](self, stmt)
            self.stmt_line = line
            if i < last and stmt.__class__ is _IF:
                leaves = _leaves(stmt.body)
                if leaves != (bool(stmt.orelse) and _leaves(stmt.orelse)):
                    test = self.test_of(stmt.test)
                    self.open_region(RegionKind.AFTER_EXIT, test, not leaves, body[i + 1], body[-1])
        self.region = outer

    def test_of(self, node: ast.expr) -> Expr:
        hit = self.module.tests.get(id(node))
        if hit is None:
            hit = self.module.tests[id(node)] = condition(node, self)
        return hit

    def bind(self, name: str, value: Expr) -> None:
        if self.top_level:
            self.module.summary.globals.setdefault(name, []).append(value)
        else:
            self._bind_local(name, value)
            self.summary.assigned.setdefault(name, self.stmt_line)

    def _bind_local(self, name: str, value: Expr) -> None:
        self.summary.locals.setdefault(name, []).append(value)
        self.summary.bound_at.setdefault(name, []).append((self.stmt_line, self.region))

    def nested_qualname(self, name: str) -> str:
        if self.summary.kind is FunctionKind.MODULE:
            return f"{self.prefix}{name}"
        return f"{self.prefix or self.summary.qualname + '.<locals>.'}{name}"

    # definitions --------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            _VISIT[deco.__class__](self, deco)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                _VISIT[default.__class__](self, default)
        qualname = self.nested_qualname(node.name)
        _define_function(self.module, node, qualname, None, self)
        if self.top_level:
            self.module.summary.defs[node.name] = (DefKind.FUNCTION, qualname)
        else:
            self.bind(node.name, ir.FuncRef(qualname))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for deco in node.decorator_list:
            _VISIT[deco.__class__](self, deco)
        # a base class is not instantiated by being subclassed: not a mention
        self.module.mentions, mentions = set(), self.module.mentions
        for base in node.bases:
            _VISIT[base.__class__](self, base)
        self.module.mentions = mentions
        qualname = self.nested_qualname(node.name)
        _define_class(self.module, node, qualname, self)
        if self.top_level:
            self.module.summary.defs[node.name] = (DefKind.CLASS, qualname)
        else:
            self.bind(node.name, ir.ClassRef(qualname))

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.lambda_qualname(node)

    # imports ------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self._import(alias.asname, alias.name)
            else:
                top = alias.name.split(".")[0]
                self._import(top, top)
                if "." in alias.name:
                    # `import a.b` also makes `a.b` reachable as an attribute of `a`
                    self.module.add_import(f"{alias.name}", alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self.module.resolve_relative(node.module, node.level)
        for alias in node.names:
            if alias.name == "*":
                self.module.summary.star_imports = (*self.module.summary.star_imports, base)
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self._import(alias.asname or alias.name, target)

    def _import(self, local: str, target: str) -> None:
        if self.top_level or self.summary.kind is FunctionKind.MODULE:
            self.module.add_import(local, target)
        else:
            self._bind_local(local, ir.ImportOf(target))

    def visit_Global(self, node: ast.Global) -> None:
        self.summary.globals_declared = (*self.summary.globals_declared, *node.names)

    # assignments --------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        value_node = node.value
        value = expr_of(value_node, self)
        bound = None
        assigned = node.targets
        if len(assigned) == 1 and assigned[0].__class__ is _NAME:
            bound = assigned[0].id
        stack = self.context_stack
        stack.append((_ASSIGN, -1, bound))
        _VISIT[value_node.__class__](self, value_node)
        stack.pop()
        for target in assigned:
            self._assign(target, value)
            if target.__class__ is not _NAME:
                _VISIT[target.__class__](self, target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        ann = annotation(node.annotation)
        if isinstance(node.target, ast.Name):
            name = node.target.id
            if ann is not None:
                self.bind(name, ir.Annotated(ann))
            if node.value is not None:
                self.with_context((_ASSIGN, -1, name), node.value)
                alias = ann is not None and (ir.dotted(ann) or "").endswith("TypeAlias")
                # `X: TypeAlias = "A | B"`: the value is a type expression, maybe a string
                value = annotation(node.value) if alias else None
                self.bind(name, value if value is not None else expr_of(node.value, self))
        else:
            if node.value is not None:
                _VISIT[node.value.__class__](self, node.value)
            self._assign(node.target, expr_of(node.value, self) if node.value else ir.UNKNOWN, ann)
            _VISIT[node.target.__class__](self, node.target)

    def visit_TypeAlias(self, node: Any) -> None:  # ast.TypeAlias: Python 3.12+
        # `type X = A | B` names the type expression, as `X: TypeAlias = A | B` does (the
        # value is evaluated lazily: a string or a forward reference is fine there)
        value = annotation(node.value)
        if isinstance(node.name, ast.Name) and value is not None:
            self.bind(node.name.id, value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        _VISIT[node.target.__class__](self, node.target)
        _VISIT[node.value.__class__](self, node.value)

    def _assign(self, target: ast.expr, value: Expr, ann: Expr | None = None) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for name, index in targets(target):
                self.bind(
                    name,
                    ir.Subscript(value, ir.Const(index)) if index is not None else ir.UNKNOWN,
                )
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == self.self_name
            and self.enclosing_class
        ):
            cls = self.module.summary.classes.get(self.enclosing_class)
            if cls is not None:
                cls.attrs.setdefault(target.attr, []).append((self.summary.qualname, value))
                if ann is not None:
                    cls.annotations.setdefault(target.attr, ann)

    @property
    def enclosing_class(self) -> str | None:
        return self.summary.class_name

    # control flow that consumes iterables -------------------------------------------------
    def visit_For(self, node: ast.For) -> None:
        self.with_context(_IN_ITER, node.iter)
        self._iter_protocol(node.iter)
        self._bind_elements(node.target, expr_of(node.iter, self))
        if not isinstance(node.target, ast.Name):
            _VISIT[node.target.__class__](self, node.target)
        self._loop(node, RegionKind.FOR, expr_of(node.iter, self))

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self.with_context(_IN_AITER, node.iter)
        self._bind_elements(node.target, expr_of(node.iter, self))
        self._loop(node, RegionKind.ASYNC_FOR, expr_of(node.iter, self))

    def _bind_elements(self, target: ast.expr, iterable: Expr) -> None:
        """`for x in xs`: x is an element; `for i, p in enumerate(paths)`: p is item 1 of one."""
        for name, index in targets(target):
            element = ir.Element(iterable)
            self.bind(name, element if index is None else ir.Subscript(element, ir.Const(index)))

    def visit_While(self, node: ast.While) -> None:
        _VISIT[node.test.__class__](self, node.test)
        self._loop(node, RegionKind.WHILE, self.test_of(node.test))

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, kind: RegionKind, expr: Expr) -> None:
        self.block(node.body, kind, expr)
        if node.orelse:  # runs when a while loop's test turns false, never after a break
            test = expr if kind is RegionKind.WHILE else ir.UNKNOWN
            self.block(node.orelse, RegionKind.LOOP_ELSE, test, when=False)

    def visit_If(self, node: ast.If) -> None:
        _VISIT[node.test.__class__](self, node.test)
        test = self.test_of(node.test)
        self.block(node.body, RegionKind.IF, test)
        if node.orelse:
            self.block(node.orelse, RegionKind.ELSE, test, when=False)

    def visit_Try(self, node: ast.Try) -> None:
        self.block(node.body, RegionKind.TRY)
        for handler in node.handlers:
            if handler.type is not None:
                _VISIT[handler.type.__class__](self, handler.type)
            caught = expr_of(handler.type, self) if handler.type is not None else ir.UNKNOWN
            self.block(handler.body, RegionKind.EXCEPT, caught)
        if node.orelse:
            self.block(node.orelse, RegionKind.TRY_ELSE)
        if node.finalbody:
            self.block(node.finalbody, RegionKind.FINALLY)

    visit_TryStar = visit_Try

    def visit_Match(self, node: ast.Match) -> None:
        _VISIT[node.subject.__class__](self, node.subject)
        subject = expr_of(node.subject, self)
        for case in node.cases:
            _VISIT[case.pattern.__class__](self, case.pattern)
            test = pattern_condition(subject, case.pattern, self)
            if case.guard is not None:
                _VISIT[case.guard.__class__](self, case.guard)
                guarded = ir.AllOf((test, self.test_of(case.guard)))
                test = self.interned.setdefault(guarded, guarded)
            self.block(case.body, RegionKind.MATCH_CASE, test)

    def _iter_protocol(self, iterable: ast.expr) -> None:
        """`for line in f:` calls `f.__iter__` (file and cursor iteration block)."""
        self.summary.calls.append(
            CallSite(
                func=ir.Attr(expr_of(iterable, self), "__iter__"),
                args=(),
                kwargs=(),
                line=iterable.lineno,
                col=iterable.col_offset,
                end_line=iterable.end_lineno or iterable.lineno,
                end_col=iterable.end_col_offset or iterable.col_offset,
                context=Use.ITER,
                protocol="__iter__",
                stmt_line=self.stmt_line or iterable.lineno,
                region=self.region,
            )
        )

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        outer = self.region
        for gen in node.generators:
            if gen.is_async:
                self.with_context(_IN_AITER, gen.iter)
            else:
                self.with_context(_IN_ITER, gen.iter)
                self._iter_protocol(gen.iter)
            iterable = expr_of(gen.iter, self)
            self._bind_elements(gen.target, iterable)
            # what follows a clause runs per element of its `for`, after its `if`s held
            self.open_region(RegionKind.COMPREHENSION, iterable, True, node, node)
            for cond in gen.ifs:
                _VISIT[cond.__class__](self, cond)
                self.open_region(RegionKind.COMP_IF, self.test_of(cond), True, node, node)
        if isinstance(node, ast.DictComp):
            _VISIT[node.key.__class__](self, node.key)
            _VISIT[node.value.__class__](self, node.value)
        else:
            _VISIT[node.elt.__class__](self, node.elt)
        self.region = outer

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_DictComp = _comprehension
    visit_GeneratorExp = _comprehension

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self.summary.is_generator = True
        self.with_context(_IN_ITER, node.value)

    def visit_Yield(self, node: ast.Yield) -> None:
        self.summary.is_generator = True
        if node.value is not None:
            _VISIT[node.value.__class__](self, node.value)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            if len(self.summary.return_exprs) < 8:
                self.summary.return_exprs = (*self.summary.return_exprs, expr_of(node.value, self))
                self.summary.return_at = (*self.summary.return_at, (self.stmt_line, self.region))
            self.with_context(_IN_RETURN, node.value)

    def visit_Await(self, node: ast.Await) -> None:
        stack = self.context_stack
        stack.append(_IN_AWAIT)
        value = node.value
        _VISIT[value.__class__](self, value)
        stack.pop()

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        is_async = isinstance(node, ast.AsyncWith)
        kind = RegionKind.ASYNC_WITH if is_async else RegionKind.WITH
        outer = self.region
        for i, item in enumerate(node.items):
            self.with_context(_IN_WITH, item.context_expr)
            ctx = expr_of(item.context_expr, self)
            enter = "__aenter__" if is_async else "__enter__"
            if not is_async:
                for proto in ("__enter__", "__exit__"):
                    self.summary.calls.append(
                        CallSite(
                            func=ir.Attr(ctx, proto),
                            args=(),
                            kwargs=(),
                            line=item.context_expr.lineno,
                            col=item.context_expr.col_offset,
                            end_line=item.context_expr.end_lineno or item.context_expr.lineno,
                            end_col=item.context_expr.end_col_offset or 0,
                            context=Use.WITH,
                            protocol=proto,
                            stmt_line=self.stmt_line or item.context_expr.lineno,
                            region=self.region,
                        )
                    )
            if item.optional_vars is not None:
                bound: Expr = ir.Call(ir.Attr(ctx, enter))
                if is_async:
                    bound = ir.Await(bound)
                for name, index in targets(item.optional_vars):
                    self.bind(
                        name, bound if index is None else ir.Subscript(bound, ir.Const(index))
                    )
            # `with a, b:` is `with a: with b:`; b's manager is entered while a's is held
            following = node.items[i + 1].context_expr if i + 1 < len(node.items) else node.body[0]
            self.open_region(kind, ctx, True, following, node.body[-1])
        self.statements(node.body)
        self.region = outer

    visit_AsyncWith = visit_With

    # calls and names ----------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        stack = self.context_stack
        context, parent, bound = stack[-1]
        func = node.func
        # (_looks_up_computed_name, called only for the names it looks for)
        cls = func.__class__
        called = (
            func.attr  # type: ignore[attr-defined]  # (an ast.Attribute)
            if cls is _ATTRIBUTE
            else func.id  # type: ignore[attr-defined]  # (an ast.Name)
            if cls is _NAME
            else None
        )
        if called in _NAME_ARGUMENT and (computed := _looks_up_computed_name(node)) is not None:
            self.module.dynamic_attributes = True
            if computed:  # `getattr(self, f"on_{kind}")`: any name with that prefix
                self.module.escapes.add(computed + "*")
        hit = self.exprs.get(id(node))  # (call_of's memo, looked up here: a call less)
        call: ir.Call = (  # (a Call node lowers to a Call)
            hit[0] if hit is not None and hit[1] < MAX_DEPTH else call_of(node, self)  # type: ignore[assignment]
        )
        kwargs = call.kwargs
        args = node.args
        # (a keyword without a name is a `**kwargs`)
        unpacks = len(kwargs) < len(node.keywords)
        if not unpacks and args:
            unpacks = _STARRED in map(type, args)
        # built as the tuple it is (the NamedTuple's constructor, with keywords, costs a
        # microsecond a call); the fields' order is checked below, at import
        site = _new_tuple(CallSite, (
            call.func, call.args, kwargs, node.lineno, node.col_offset,
            node.end_lineno or node.lineno, node.end_col_offset or node.col_offset,
            context, parent, bound, None, self.stmt_line or node.lineno, unpacks, self.region,
        ))  # fmt: skip
        calls = self.summary.calls
        index = len(calls)
        calls.append(site)
        # the callee expression is evaluated here too (`a().b()` calls a first)
        stack.append((_CALLEE, index, None))
        _VISIT[cls](self, func)
        stack[-1] = (_ARG, index, None)
        for arg in args:
            if arg.__class__ is _STARRED:
                arg = arg.value
            _VISIT[arg.__class__](self, arg)
        for kw in node.keywords:
            value = kw.value
            _VISIT[value.__class__](self, value)
        stack.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        stack = self.context_stack
        # loads that are not immediately called may be property reads (a hidden call)
        if node.ctx.__class__ is _LOAD:
            module = self.module
            module.mentions.add(node.attr)
            if stack[-1][0] is not _CALLEE:
                if node is not self.receiver:
                    module.escapes.add(node.attr)
                hit = self.exprs.get(id(node))  # (expr_of's memo)
                expr = hit[0] if hit is not None and hit[1] < MAX_DEPTH else expr_of(node, self)
                self.summary.attr_loads.append((expr, node.lineno, node.col_offset, self.region))
        stack.append(_OTHER)
        value = node.value
        self.receiver = value  # `a.b`: `a` is read for its attribute, not passed on
        _VISIT[value.__class__](self, value)
        stack.pop()

    def visit_Name(self, node: ast.Name) -> None:
        if node.ctx.__class__ is not _LOAD:
            return
        name = node.id
        module = self.module
        module.mentions.add(name)
        context = self.context_stack[-1]
        if context[0] is not _CALLEE and node is not self.receiver:
            module.escapes.add(name)
        if name in self.call_bound:
            use = _new_tuple(NameUse, (context[0], context[1], self.region))
            self.summary.name_uses.setdefault(name, []).append(use)

    def generic_visit(self, node: ast.AST) -> None:
        # sub-expressions of anything else are "other" uses
        if isinstance(node, ast.expr):
            self.context_stack.append(_OTHER)
            self._children(node)
            self.context_stack.pop()
        else:
            self._children(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        # `a if c else b` passes its context on: `x = p.glob() if c else q` assigns the glob
        self.with_context(_OTHER, node.test)
        test = self.test_of(node.test)
        outer = self.open_region(RegionKind.IF_EXP, test, True, node.body, node.body)
        _VISIT[node.body.__class__](self, node.body)
        self.region = outer
        self.open_region(RegionKind.IF_EXP_ELSE, test, False, node.orelse, node.orelse)
        _VISIT[node.orelse.__class__](self, node.orelse)
        self.region = outer

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        # passes its context on, like IfExp; each operand runs only if the ones before it
        # were falsy (`or`) or truthy (`and`)
        values = node.values
        _VISIT[values[0].__class__](self, values[0])
        kind, when = (
            (RegionKind.AND, True) if isinstance(node.op, ast.And) else (RegionKind.OR, False)
        )
        outer = self.region
        for before, value in itertools.pairwise(values):
            self.open_region(kind, self.test_of(before), when, value, values[-1])
            _VISIT[value.__class__](self, value)
        self.region = outer

    def visit_Constant(self, node: ast.Constant) -> None:
        # (ast.NodeVisitor's own visit_Constant is a slow deprecation shim)
        value = node.value
        if value.__class__ is not str or len(value) > 200:
            return
        if value.isidentifier() and value.isascii():  # most are: no regular expressions
            # (as below, for one part)
            module = self.module
            module.mentions.add(value)
            use, parent, _ = self.context_stack[-1]
            if use is _ARG and parent >= 0 and self._names_attribute():
                module.escapes.add(value)
            else:
                module.words.add(value)
            return
        if _DOTTED_NAME.match(value):
            parts = _NAME_PARTS.split(value)
        else:
            return
        # "pkg.mod:Impl" in a registry or configuration names a class
        self.module.mentions.update(parts)
        if len(parts) > 1 or self._names_attribute():
            self.module.escapes.update(parts)
        else:
            self.module.words.add(value)

    def _names_attribute(self) -> bool:
        """Is the string being visited an attribute name handed to `getattr(x, "name")` or
        alike? (Any other one-word string is not taken to name a function.)"""
        use, parent, _ = self.current_context()
        if use is not Use.ARG or parent < 0:
            return False
        return ir.last_name(self.summary.calls[parent].func) in _NAME_ARGUMENT

    def visit_Expr(self, node: ast.Expr) -> None:
        stack = self.context_stack
        stack.append(_IN_STMT)
        value = node.value
        _VISIT[value.__class__](self, value)
        stack.pop()

    def visit_Starred(self, node: ast.Starred) -> None:
        self.with_context(_IN_ITER, node.value)


def _method(cls: type[ast.AST]) -> Callable[[_FunctionVisitor, Any], None]:
    """The _FunctionVisitor method that visits nodes of class `cls` (NodeVisitor.visit
    builds a method name per node: this looks each class up once)."""
    method = getattr(_FunctionVisitor, f"visit_{cls.__name__}", None)
    if method is None:
        # nodes without fields (`Load`, `Add`, `Pass`) have nothing to visit
        method = _FunctionVisitor.generic_visit if cls._fields else _FunctionVisitor._skip
    return method


def _in_statement(
    method: Callable[[_FunctionVisitor, Any], None],
) -> Callable[[_FunctionVisitor, Any], None]:
    def visit(self: _FunctionVisitor, node: ast.stmt) -> None:
        outer, self.stmt_line = self.stmt_line, node.lineno
        method(self, node)
        self.stmt_line = outer

    return visit


def _node_classes() -> list[type[ast.AST]]:
    found: list[type[ast.AST]] = []
    stack = [ast.AST]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return found


# Node class -> the method that visits its nodes; a statement's sets `stmt_line` around it.
# Plain dicts of every node class, filled here: the interpreter's fast path for subscripts
# is for exact dicts only.
_VISIT_STMT: dict[type[ast.AST], Callable[[_FunctionVisitor, Any], None]] = {
    cls: _method(cls) for cls in _node_classes()
}
# (statements() sets `stmt_line` itself, and calls the unwrapped method)
_VISIT = {
    cls: _in_statement(method) if issubclass(cls, ast.stmt) else method
    for cls, method in _VISIT_STMT.items()
}

# (visit_Call builds its CallSites as tuples, in this order)
if CallSite._fields != (
    "func", "args", "kwargs", "line", "col", "end_line", "end_col", "context", "parent",
    "bound_to", "protocol", "stmt_line", "unpacks", "region",
):  # fmt: skip
    raise TypeError("summarize.visit_Call builds CallSite with other fields")  # pragma: no cover
if Region._fields != ("kind", "parent", "expr", "when", "line", "end_line") or NameUse._fields != (
    "context", "parent", "region",
):  # fmt: skip
    raise TypeError("summarize builds Region and NameUse with other fields")  # pragma: no cover


# The fields that can hold nodes, of the nodes generic_visit walks most (their operators and
# `ctx` have nothing to visit): in field order, as generic_visit walks them
_PARTS: dict[type[ast.AST], tuple[str, ...]] = {
    ast.Compare: ("left", "comparators"),
    ast.JoinedStr: ("values",),
    ast.FormattedValue: ("value", "format_spec"),
    ast.Subscript: ("value", "slice"),
    ast.List: ("elts",),
    ast.Tuple: ("elts",),
    ast.Set: ("elts",),
    ast.Dict: ("keys", "values"),
    ast.UnaryOp: ("operand",),
    ast.BinOp: ("left", "right"),
    ast.Raise: ("exc", "cause"),
}

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _leaves(body: list[ast.stmt], raising: bool = True) -> bool:
    """Whether a block always leaves the block around it (return, raise, continue, break), so
    that what follows it there runs only when it did not."""
    for stmt in body:
        if isinstance(stmt, _EXITS) and (raising or not isinstance(stmt, ast.Raise)):
            return True
        if isinstance(stmt, ast.If) and stmt.orelse:
            if _leaves(stmt.body, raising) and _leaves(stmt.orelse, raising):
                return True
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            # a context manager may swallow an exception, not a return
            if _leaves(stmt.body, raising=False):
                return True
    return False


# the fields of a node that hold the blocks of statements nested in it (nested scopes have
# their own names: not theirs)
_BLOCKS: dict[type, tuple[str, ...]] = {
    ast.For: ("body", "orelse"),
    ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"),
    ast.If: ("body", "orelse"),
    ast.With: ("body",),
    ast.AsyncWith: ("body",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"),
    getattr(ast, "TryStar", ast.Try): ("body", "handlers", "orelse", "finalbody"),
    ast.ExceptHandler: ("body",),
    ast.Match: ("cases",),
    ast.match_case: ("body",),
}


def _names_bound_to_calls(body: list[ast.stmt]) -> set[str]:
    """Local names assigned a call's result (lazy-iterator tracking); nested scopes skipped."""
    names: set[str] = set()
    stack: list[Any] = list(body)  # statements (and handlers, cases) only: no expressions
    while stack:
        node = stack.pop()
        cls = node.__class__
        if cls is _ASSIGN_STMT:
            value = node.value.__class__
            if value is _CALL or value is _AWAIT:
                for target in node.targets:
                    if target.__class__ is _NAME:
                        names.add(target.id)
            continue  # (no blocks)
        blocks = _BLOCKS.get(cls)
        if blocks is None:
            continue
        if cls is _WITH or cls is _ASYNC_WITH:
            for item in node.items:
                if item.optional_vars.__class__ is _NAME:
                    names.add(item.optional_vars.id)
        for name in blocks:
            stack.extend(getattr(node, name))
    return names


_ASSIGN_STMT, _CALL, _AWAIT = ast.Assign, ast.Call, ast.Await
_WITH, _ASYNC_WITH = ast.With, ast.AsyncWith


def _define_function(
    module: _ModuleVisitor,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    class_name: str | None,
    parent: _FunctionVisitor,
) -> FuncSummary:
    args = node.args
    params = [
        (a.arg, annotation(a.annotation))
        for a in [
            *args.posonlyargs,
            *args.args,
            *([args.vararg] if args.vararg else []),
            *args.kwonlyargs,
            *([args.kwarg] if args.kwarg else []),
        ]
    ]
    fs = FuncSummary(
        qualname=qualname,
        line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        is_generator=False,
        kind=FunctionKind.FUNCTION,
        class_name=class_name,
        decorators=tuple(expr_of(d, parent) for d in node.decorator_list),
        params=tuple(params),
        returns=annotation(node.returns),
        is_stub=class_name is not None and _is_stub(node),
        **_binding(node.args, parent),
    )
    module.summary.functions[qualname] = fs
    visitor = _FunctionVisitor(module, fs, prefix=qualname + ".<locals>.")
    if class_name is not None and params and not _is_static(fs.decorators):
        visitor.self_name = params[0][0]
    try:
        visitor.visit_body(node.body)
        visitor.finish()
    except RecursionError:
        if not module.isolate:
            raise  # the whole module is walked again, on a deep stack
        return module.lose(fs)
    return fs


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`@abstractmethod`, or a body of only a docstring, `pass`, `...`, `raise
    NotImplementedError`: the subclasses' overrides are what runs."""
    for deco in node.decorator_list:
        name = deco.attr if isinstance(deco, ast.Attribute) else getattr(deco, "id", "")
        if name == "abstractmethod":
            return True
    for stmt in node.body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            if stmt.value.value is ... or isinstance(stmt.value.value, str):
                continue
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                continue
        return False
    return True


def _binding(args: ast.arguments, visitor: _FunctionVisitor) -> dict[str, Any]:
    """How a call's arguments bind to the parameters (FuncSummary.positional etc.)."""
    positional = [*args.posonlyargs, *args.args]
    defaults: dict[str, Expr] = {}
    for param, default in zip(
        positional[len(positional) - len(args.defaults) :], args.defaults, strict=True
    ):
        defaults[param.arg] = expr_of(default, visitor)
    for param, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kw_default is not None:
            defaults[param.arg] = expr_of(kw_default, visitor)
    return {
        "positional": len(positional),
        "vararg": args.vararg.arg if args.vararg else None,
        "kwarg": args.kwarg.arg if args.kwarg else None,
        "defaults": defaults,
    }


def _looks_up_computed_name(node: ast.Call) -> str | None:
    """`getattr(obj, name)`, `operator.methodcaller(name)`: an attribute named at run time.
    None if not; else the name's constant prefix (`f"on_{kind}"`: "on_"), maybe empty."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    position = _NAME_ARGUMENT.get(called or "")
    if position is None or len(node.args) <= position:
        return None
    name = node.args[position]
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return None
    if isinstance(name, ast.JoinedStr) and name.values:
        first = name.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return ""


def _is_static(decorators: tuple[Expr, ...]) -> bool:
    return any(ir.dotted(d) in ("staticmethod",) for d in decorators)


def _define_class(
    module: _ModuleVisitor, node: ast.ClassDef, qualname: str, parent: _FunctionVisitor
) -> None:
    cls = ClassSummary(bases=tuple(expr_of(b, parent) for b in node.bases))
    module.summary.classes[qualname] = cls
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in stmt.decorator_list:
                parent.visit(deco)
            method_qualname = f"{qualname}.{stmt.name}"
            fs = _define_function(module, stmt, method_qualname, qualname, parent)
            # a property setter/deleter must not shadow the getter
            if not any(
                isinstance(d, ir.Attr) and d.attr in ("setter", "deleter") for d in fs.decorators
            ):
                cls.methods[stmt.name] = method_qualname
            else:
                module.summary.functions[method_qualname + f"@{stmt.lineno}"] = (
                    module.summary.functions.pop(method_qualname)
                )
        elif isinstance(stmt, ast.ClassDef):
            nested_qualname = f"{qualname}.{stmt.name}"
            _define_class(module, stmt, nested_qualname, parent)
            cls.attrs.setdefault(stmt.name, []).append((qualname, ir.ClassRef(nested_qualname)))
        elif isinstance(stmt, ast.Assign):
            parent.visit(stmt.value)
            value = expr_of(stmt.value, parent)
            for target in stmt.targets:
                for name, index in targets(target):
                    cls.attrs.setdefault(name, []).append(
                        (qualname, value if index is None else ir.Subscript(value, ir.Const(index)))
                    )
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            ann = annotation(stmt.annotation)
            if ann is not None:
                cls.annotations.setdefault(stmt.target.id, ann)
            if stmt.value is not None:
                parent.visit(stmt.value)
                cls.attrs.setdefault(stmt.target.id, []).append(
                    (qualname, expr_of(stmt.value, parent))
                )
        else:
            parent.visit(stmt)
