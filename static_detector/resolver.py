"""Whole-program name and type resolution over module summaries.

Answers "what does this expression refer to?" for the symbolic expressions in summaries:
a project function or class, a module, an instance of a (project or external) class, a
method of one. External names stay symbolic (`pathlib.Path.read_text`) and are matched
against the rule registry; their result types come from data/types.toml. Anything not
determined is `UNKNOWN`: the analysis reports nothing for it rather than guess by name.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from blocking_io.shared_rules.knowledge import TypeKnowledge, TypeRef, TypeVariant

from . import ir
from .bindings import ON_ENTRY, Signature, positional, signature
from .reads import NONE as NO_READS
from .reads import Index, ReadLog, Reads
from .summary import ClassSummary, DefKind, FuncSummary, FunctionKind, ModuleSummary, Origin
from .values import (
    NONE,
    UNKNOWN,
    BoundExtV,
    ClassV,
    CoroV,
    EnterV,
    ExtV,
    FuncV,
    InstV,
    IterV,
    ModuleV,
    PartialV,
    SuperV,
    TupleV,
    UnionV,
    Value,
    options,
    union,
)

BUILTINS = frozenset(dir(builtins))
_ENTER = frozenset({"__enter__", "__aenter__"})

if TYPE_CHECKING:
    from .dependencies import Dependencies


class Scope(NamedTuple):
    module: ModuleSummary
    func: FuncSummary  # the "<module>" pseudo-function for module scope
    qualname: str  # global qualname of func
    # where in func the expression is (which bindings of its rebound names reach it), or
    # None: anywhere (every binding is a candidate)
    at: Signature | None = None


_PROTOCOLS = frozenset({"typing.Protocol", "typing_extensions.Protocol"})
# standard-library classes: members the type table does not list may still exist (C types)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}


class Resolver:
    """All module summaries of one scan, indexed, and what their expressions refer to."""

    def __init__(
        self,
        modules: dict[str, ModuleSummary],
        types: TypeKnowledge,
        dependencies: Dependencies | None = None,
    ) -> None:
        # every lookup in the indexes is recorded (reads.py): what a function's facts read
        self.log = ReadLog()
        self.modules: dict[str, ModuleSummary] = Index(self.log, "modules")
        self.types = types
        typing = types.typing
        self._wrappers = frozenset(typing.wrappers)
        self._iterables = frozenset(typing.iterables)
        self._generator_methods = frozenset(typing.generator_methods)
        self._mappings = frozenset(typing.mappings)
        self._casts = frozenset(typing.casts)
        self._containers = frozenset(types.builtins.containers)
        self._property = frozenset(types.decorators.property)
        self._context_managers = frozenset(types.decorators.context_manager)
        self._element_methods = frozenset(types.builtins.element_methods)
        self.deps = dependencies
        self.functions: dict[str, tuple[ModuleSummary, FuncSummary]] = Index(self.log, "functions")
        self.classes: dict[str, tuple[ModuleSummary, ClassSummary]] = Index(self.log, "classes")
        for summary in modules.values():
            self._index(summary)
        # memoized answers keep what computing them read (reads.py)
        self._memo: dict[tuple[Any, ...], tuple[Value, Reads]] = {}
        self._busy: set[tuple[Any, ...]] = set()
        self._positional: dict[str, tuple[str, ...]] = {}
        self._names: dict[ir.Expr, frozenset[str]] = {}
        self._signatures: dict[tuple[str, tuple[str, ...], int, int], Signature] = {}
        self._lookup_busy: set[tuple[str, str]] = set()
        self._overrides: dict[str, tuple[str, ...]] = {}
        self._mro: dict[str, tuple[tuple[str, ...], Reads]] = {}
        self._returns: dict[str, tuple[Value, Reads]] = {}
        self._returns_busy: set[str] = set()

    def _index(self, summary: ModuleSummary) -> None:
        self.modules[summary.module] = summary
        for rel, fs in summary.functions.items():
            self.functions[f"{summary.module}.{rel}"] = (summary, fs)
        for rel, cs in summary.classes.items():
            self.classes[f"{summary.module}.{rel}"] = (summary, cs)

    def _ensure_dependency(self, target: str) -> None:
        """Load (once) the installed-package module `target` lives in, if it may be followed:
        an installed package that no rule describes is then resolved like project code."""
        if self.deps is None:
            return
        top = target.partition(".")[0]
        loaded = self.modules.get(top)
        if loaded is not None and loaded.origin is not Origin.DEPENDENCY:
            return
        if not self.deps.followable(target):
            return
        summary = self.deps.module_for(target)
        if summary is not None and summary.module not in self.modules:
            self._index(summary)

    # -- scopes ----------------------------------------------------------------------------
    def scope(self, qualname: str) -> Scope | None:
        hit = self.functions.get(qualname)
        if hit is None:
            return None
        return Scope(hit[0], hit[1], qualname)

    def at(self, scope: Scope, line: int, region: int, *exprs: ir.Expr) -> Scope:
        """`scope` at a statement of its function, for evaluating `exprs` there: the names
        whose type depends on the place (bindings.py) typed by the bindings that reach it,
        narrowed by the `isinstance` tests around it. Unchanged when `exprs` mention none
        (evaluations are memoized per place: only where it matters)."""
        qualname = scope.qualname
        names = self._positional.get(qualname)
        if names is None:
            names = self._positional[qualname] = positional(scope.func)
        if not names:
            return scope
        # hot (each call site, each binding evaluated): the loops written out
        cache = self._names
        used: set[str] = set()
        for expr in exprs:
            found = cache.get(expr)
            if found is None:
                found = cache[expr] = ir.names(expr)
            used |= found
        names = tuple([n for n in names if n in used])
        if not names:
            return scope
        # the calls on one statement share their signature: computed once (a pure
        # function of the function's summary, which no edit changes within a scan)
        key = (qualname, names, line, region)
        sig = self._signatures.get(key)
        if sig is None:
            sig = self._signatures[key] = signature(scope.func, names, line, region)
        return Scope(scope.module, scope.func, qualname, sig)

    def module_scope(self, module: ModuleSummary) -> Scope:
        return Scope(module, module.functions["<module>"], f"{module.module}.<module>")

    def enclosing(self, scope: Scope) -> Scope:
        """The scope a nested function's free names come from (closure or module)."""
        rel = scope.func.qualname
        if ".<locals>." in rel:
            parent_rel = rel.rsplit(".<locals>.", 1)[0]
            parent = scope.module.functions.get(parent_rel)
            if parent is not None:
                return Scope(scope.module, parent, f"{scope.module.module}.{parent_rel}")
        return self.module_scope(scope.module)

    # -- global names ----------------------------------------------------------------------
    def lookup_global(self, module: str, name: str) -> Value:
        summary = self.modules.get(module)
        if summary is None:
            return UNKNOWN
        key = (module, name)
        if key in self._lookup_busy:
            return UNKNOWN
        self._lookup_busy.add(key)
        try:
            return self._lookup_global(summary, name)
        finally:
            self._lookup_busy.discard(key)

    def _lookup_global(self, summary: ModuleSummary, name: str) -> Value:
        kind_rel = summary.defs.get(name)
        if kind_rel is not None:
            kind, rel = kind_rel
            qualname = f"{summary.module}.{rel}"
            return FuncV(qualname) if kind is DefKind.FUNCTION else ClassV(qualname)
        fallback: Value = UNKNOWN
        if name in summary.globals:
            scope = self.module_scope(summary)
            for expr in summary.globals[name]:
                value = self.eval(scope, expr)
                if value == NONE:
                    # `X = None` is a placeholder (`except ImportError: X = None`, a lazy
                    # global): a binding with a type says more
                    fallback = NONE
                elif value != UNKNOWN:
                    return value
        if name in summary.imports:
            for target in summary.imports[name]:
                value = self.resolve_import(target)
                if value != UNKNOWN:
                    return value
        if fallback == NONE:
            return NONE
        for star in summary.star_imports:
            value = self.lookup_global(star, name)
            if value != UNKNOWN:
                return value
        sub = f"{summary.module}.{name}"
        if summary.is_package and summary.origin is Origin.DEPENDENCY:
            self._ensure_dependency(sub)
        if summary.is_package and sub in self.modules:
            return ModuleV(sub)
        if name in BUILTINS:
            return ExtV(f"builtins.{name}")
        return UNKNOWN

    def names_nothing(self, target: str) -> bool:
        """The import target `pkg.mod.X` names nothing in the scanned project: the deepest
        project module on its path (`pkg.mod`, or the package `pkg`) has no such name (a
        stale import of something since removed). No analysis can type it."""
        parts = target.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            summary = self.modules.get(".".join(parts[:cut]))
            if summary is None:
                continue
            name = parts[cut]
            return summary.origin is Origin.PROJECT and not (
                name in summary.defs
                or name in summary.globals
                or name in summary.imports
                or summary.star_imports
                or "__getattr__" in summary.defs  # PEP 562: the module makes names up
                or any(name in fs.globals_declared for fs in summary.functions.values())
            )
        return False

    def resolve_import(self, target: str) -> Value:
        """A dotted import target: a project module, a name in one, or an external name."""
        if target in self.modules:
            return ModuleV(target)
        self._ensure_dependency(target)
        if target in self.modules:
            return ModuleV(target)
        module, _, name = target.rpartition(".")
        if module in self.modules:
            found = self.lookup_global(module, name)
            return found
        # a project module nested deeper than the part that exists? (`a.b.c` where a.b is ours)
        parts = target.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in self.modules:
                value: Value = ModuleV(prefix)
                for part in parts[cut:]:
                    value = self.attribute(value, part)
                return value
        return ExtV(self.types.canonical(target))

    # -- classes ---------------------------------------------------------------------------
    def mro(self, qualname: str) -> tuple[str, ...]:
        """Project class and its bases (project qualnames, then external symbols)."""
        known = self._mro.get(qualname)
        if known is not None:
            self.log.replay(known[1])
            return known[0]
        self._mro[qualname] = ((qualname,), NO_READS)  # cycle guard
        self.log.open()
        try:
            linearization = self._linearize(qualname)
        finally:
            reads = self.log.close()
        self._mro[qualname] = (linearization, reads)
        return linearization

    def _linearize(self, qualname: str) -> tuple[str, ...]:
        hit = self.classes.get(qualname)
        out = [qualname]
        bases: list[tuple[str, ...]] = []  # each base's own linearization
        if hit is not None:
            summary, cs = hit
            # a class defined in a function names its bases in that function's scope
            owner, local, _ = qualname[len(summary.module) + 1 :].rpartition(".<locals>.")
            scope = self._scope_for(summary, owner) if local else self.module_scope(summary)
            for base in cs.bases:
                if isinstance(base, ir.Subscript):  # Generic[T], SpooledTemporaryFile[bytes]
                    base = base.value
                value = self.eval(scope, base)
                if isinstance(value, ClassV):
                    bases.append(self.mro(value.qualname))
                elif isinstance(value, ExtV):
                    bases.append(tuple(self.types.mro(value.symbol)))
        for line in bases:
            out.extend(b for b in line if b not in out)
        # Python's order (C3), where the bases allow one; else the depth-first order above
        return _c3(qualname, bases) or tuple(out)

    def class_member(self, cls: str, name: str, after: str | None = None) -> Value:
        """Look `name` up along the MRO of project class `cls` (the unbound member)."""
        chain = self.mro(cls)
        if after is not None and after in chain:
            chain = chain[chain.index(after) + 1 :]
        external: BoundExtV | None = None
        for klass in chain:
            hit = self.classes.get(klass)
            if hit is None:
                if external is None:  # an external base (its lookup is recorded by get)
                    if (
                        klass.partition(".")[0] in _STDLIB  # a C type may have anything
                        or self.types.method_return(klass, name)
                        or self.types.attribute(klass, name)
                    ):
                        return BoundExtV(klass, name)
                    # a third-party base we cannot see into: the method, if a later class
                    # (a mixin listed after `requests.Session`) defines it, is that one
                    external = BoundExtV(klass, name)
                continue
            summary, cs = hit
            if name in cs.methods:
                return FuncV(f"{summary.module}.{cs.methods[name]}")
            if external is not None:
                continue  # only a later method wins over the external base, not an attribute
            # `self._thread: Thread | None = None`, `_conn: Conn = None` then
            # `self._conn = Conn()`: a `None` placeholder loses to any other assignment
            # and to the annotation; `None` only when nothing else is known
            # `self.procs: list[Process] = []` likewise: the annotation says what the
            # elements are, the display only that it is a list
            was_none = False
            display: Value = UNKNOWN
            if name in cs.attrs:
                for scope_rel, expr in cs.attrs[name]:
                    scope = self._scope_for(summary, scope_rel)
                    value = self.eval(scope, expr)
                    if value == NONE:
                        was_none = True
                    elif _empty_literal(expr) and name in cs.annotations:
                        display = value
                    elif value != UNKNOWN:
                        return value
            if name in cs.annotations:
                value = self.annotation(self.module_scope(summary), cs.annotations[name])
                if value != UNKNOWN:
                    return value
            if display != UNKNOWN:
                return display
            if was_none:
                return NONE
            if name in cs.attrs or name in cs.annotations:
                # defined here, of a type we cannot tell: it shadows whatever a base has
                # (`self._default = default` is no member of the external base typing.Generic)
                return UNKNOWN
        return external if external is not None else UNKNOWN

    def overrides(self, method: str) -> tuple[str, ...]:
        """The implementations in the scanned program of a stub method (`pkg.mod.Base.m`
        abstract, `pass`, `...`, `raise NotImplementedError`): what `m` resolves to on each
        project subclass of Base that has a concrete one (class-hierarchy dispatch)."""
        found = self._overrides.get(method)
        if found is None:
            # a question about the whole program: what it read is everything, so a reader
            # keeps the question and its answer instead, asked again to reuse its facts
            self.log.open()
            try:
                found = self._overrides[method] = self._implementations(method)
            finally:
                self.log.close(keep=False)
        self.log.query("overrides", method, found)
        return found

    def _implementations(self, method: str) -> tuple[str, ...]:
        found: list[str] = []
        hit = self.functions.get(method)
        if hit is not None and hit[1].is_stub and hit[1].class_name is not None:
            summary, fs = hit
            base = f"{summary.module}.{fs.class_name}"
            name = fs.qualname.rpartition(".")[2]
            # a Protocol is implemented structurally too: by a class that has every
            # method the protocol declares. Only when nothing subclasses it, and it declares
            # two methods or more: one common name (`get`, `run`) is no evidence of a type
            protocol = any(b in _PROTOCOLS for b in self.mro(base))
            declared = [m for m in self.classes[base][1].methods if not m.startswith("__")]
            nominal = [c for c in list(self.classes) if c != base and base in self._mro_of(c)]
            candidates = nominal
            if protocol and not nominal and len(declared) >= 2:
                candidates = [
                    c
                    for c in list(self.classes)
                    if c != base
                    and not any(b in _PROTOCOLS for b in self._mro_of(c))
                    and all(isinstance(self.class_member(c, m), FuncV) for m in declared)
                ]
            for cls in candidates:
                member = self.class_member(cls, name)
                if not isinstance(member, FuncV) or member.qualname == method:
                    continue
                impl = self.functions.get(member.qualname)
                if impl is not None and not impl[1].is_stub and member.qualname not in found:
                    found.append(member.qualname)
        return tuple(found)

    def _mro_of(self, cls: str) -> tuple[str, ...]:
        """mro(), in overrides() only: its frame's reads are dropped, so a known MRO is not
        replayed into it (the scan of every class of the program asks for thousands)."""
        known = self._mro.get(cls)
        return known[0] if known is not None else self.mro(cls)

    def _scope_for(self, summary: ModuleSummary, rel: str) -> Scope:
        fs = summary.functions.get(rel)
        if fs is None:
            return self.module_scope(summary)
        return Scope(summary, fs, f"{summary.module}.{rel}")

    def is_property(self, func: FuncV) -> bool:
        hit = self.functions.get(func.qualname)
        if hit is None:
            return False
        summary, fs = hit
        for deco in fs.decorators:
            name = ir.dotted(deco)
            if name in self._property:
                return True
            value = self.eval(self.module_scope(summary), deco)
            if isinstance(value, ExtV) and value.symbol in self._property:
                return True
        return False

    # -- attributes ------------------------------------------------------------------------
    def attribute(self, value: Value, name: str) -> Value:
        if isinstance(value, UnionV):  # each member's (a method: each implementation)
            return union(self.attribute(option, name) for option in value.options)
        if isinstance(value, ModuleV):
            found = self.lookup_global(value.name, name)
            if found == UNKNOWN and f"{value.name}.{name}" in self.modules:
                return ModuleV(f"{value.name}.{name}")
            return found
        if isinstance(value, ExtV):
            full = f"{value.symbol}.{name}"
            if self.deps is not None and self.deps.followable(full):
                return self.resolve_import(full)
            return ExtV(self.types.canonical(full))
        if isinstance(value, ClassV):
            return self.class_member(value.qualname, name)
        if isinstance(value, SuperV):
            member = self.class_member(value.cls, name, after=value.cls)
            return member
        if isinstance(value, InstV):
            if value.external:
                attr_type = self.types.attribute(value.cls, name)
                if attr_type:
                    return self.type_value(attr_type)
                return BoundExtV(value.cls, name)
            member = self.class_member(value.cls, name)
            if isinstance(member, FuncV) and self.is_property(member):
                return self.returns(member)
            if isinstance(member, BoundExtV):
                attr_type = self.types.attribute(member.cls, name)
                if attr_type:
                    return self.type_value(attr_type)
            return member
        if isinstance(value, TupleV):  # a tuple or list display: a builtin container's
            return self.attribute(InstV("builtins.list", external=True), name)
        if isinstance(value, IterV):
            if value.container:  # a list of known elements has a list's methods
                return self.attribute(InstV(value.container, external=True), name)
            if name in self._generator_methods:
                return BoundExtV("builtins.generator", name)
        return UNKNOWN

    # -- types -----------------------------------------------------------------------------
    def type_value(self, ref: TypeRef, receiver: Value = UNKNOWN) -> Value:
        value: Value = receiver if ref.is_self else InstV(ref.name, external=True)
        if ref.items:
            value = TupleV(tuple(self.type_value(item, receiver) for item in ref.items))
        value = IterV(value, ref.container) if ref.iterable else value
        return CoroV(value) if ref.awaitable else value

    def annotation(self, scope: Scope, expr: ir.Expr | None) -> Value:
        """The instance type an annotation describes (Optional/Annotated/`X | None` unwrapped)."""
        if expr is None:
            return UNKNOWN
        if isinstance(expr, ir.BinOp) and expr.op == "|":
            return union((self.annotation(scope, expr.left), self.annotation(scope, expr.right)))
        if isinstance(expr, ir.Const):
            return NONE if expr.value is None else UNKNOWN
        if isinstance(expr, ir.Name):
            alias = self._type_alias(scope.module, expr.id)
            if alias is not None:
                key = (alias[0].module.module, expr.id)
                if key in self._lookup_busy:  # `A = Union[A, B]`
                    return UNKNOWN
                self._lookup_busy.add(key)
                try:
                    return self.annotation(*alias)
                finally:
                    self._lookup_busy.discard(key)
        if isinstance(expr, ir.Subscript):
            base = self.eval(scope, expr.value)
            symbol = base.symbol if isinstance(base, ExtV) else None
            items = expr.item.items if isinstance(expr.item, ir.Tuple) else (expr.item,)
            if symbol is not None and symbol in self._wrappers:
                if symbol.endswith(".Annotated"):  # Annotated[X, metadata...]
                    items = items[:1]
                return union(self.annotation(scope, item) for item in items)
            if symbol in self._iterables:
                return IterV(self.annotation(scope, items[0]))
            if symbol in self._mappings and len(items) == 2:
                return InstV("builtins.dict", external=True)
            if isinstance(base, ClassV):
                return InstV(base.qualname, external=False)
            return UNKNOWN
        value = self.eval(scope, expr)
        if isinstance(value, ClassV):
            return InstV(value.qualname, external=False)
        if isinstance(value, ExtV):
            if value.symbol == "builtins.None":
                return NONE
            if value.symbol in self.types.ambiguous:
                # `f: BinaryIO` may be a BytesIO, `s: socket.socket` may be non-blocking:
                # the annotation alone does not say the calls block
                return UNKNOWN
            return InstV(value.symbol, external=True)
        return UNKNOWN

    def _type_alias(
        self, summary: ModuleSummary, name: str, depth: int = 0
    ) -> tuple[Scope, ir.Expr] | None:
        """The type expression a module-level alias names (`AnyItem = Union[A, B]`,
        `A | B`, `X: TypeAlias = "A | B"`), in its module, following imports of it."""
        if name in summary.defs or depth > 8:
            return None
        for expr in summary.globals.get(name, ()):
            if isinstance(expr, ir.Subscript) or (isinstance(expr, ir.BinOp) and expr.op == "|"):
                return self.module_scope(summary), expr
        if name in summary.globals:
            return None
        for target in summary.imports.get(name, ()):
            module, _, member = target.rpartition(".")
            other = self.modules.get(module)
            if other is not None:
                return self._type_alias(other, member, depth + 1)
        return None

    def returns(self, func: FuncV) -> Value:
        """What calling a project function gives: its annotation, else its return statements."""
        known = self._returns.get(func.qualname)
        if known is not None:
            self.log.replay(known[1])
            return known[0]
        if func.qualname in self._returns_busy:
            return UNKNOWN
        self._returns_busy.add(func.qualname)
        self.log.open()
        try:
            value = self._infer_returns(func)
        finally:
            self._returns_busy.discard(func.qualname)
            reads = self.log.close()
        self._returns[func.qualname] = (value, reads)
        return value

    def _infer_returns(self, func: FuncV) -> Value:
        hit = self.functions.get(func.qualname)
        if hit is None:
            return UNKNOWN
        summary, fs = hit
        scope = Scope(summary, fs, func.qualname)
        value: Value = UNKNOWN
        if fs.returns is not None:
            value = self.annotation(self.enclosing(scope), fs.returns)
        if value == UNKNOWN and not fs.is_generator:
            for index, expr in enumerate(fs.return_exprs):
                where = fs.return_at[index] if index < len(fs.return_at) else None
                candidate = self.eval(self.at(scope, *where, expr) if where else scope, expr)
                if candidate not in (UNKNOWN, NONE):
                    value = candidate
                    break
        if fs.is_generator and self.makes_context_manager(func.qualname):
            return EnterV(self.element(value))
        if fs.is_async and not fs.is_generator:
            return CoroV(value)
        return value

    def makes_context_manager(self, qualname: str) -> bool:
        """The project function is decorated with `@contextmanager` (or the async one)."""
        hit = self.functions.get(qualname)
        if hit is None:
            return False
        summary, fs = hit
        scope = Scope(summary, fs, qualname)
        for deco in fs.decorators:
            if ir.dotted(deco) in self._context_managers:
                return True
            value = self.eval(self.enclosing(scope), deco)
            if isinstance(value, ExtV) and value.symbol in self._context_managers:
                return True
        return False

    # -- expressions -----------------------------------------------------------------------
    def eval(self, scope: Scope, expr: ir.Expr) -> Value:
        key = (scope.qualname, expr) if scope.at is None else (scope.qualname, expr, scope.at)
        memo = self._memo.get(key)
        if memo is not None:
            self.log.replay(memo[1])
            return memo[0]
        if key in self._busy:
            return UNKNOWN
        self._busy.add(key)
        log = self.log
        log.open()
        try:
            log.module(scope.module.module)
            # the handler called here, not through a helper: a frame less per nesting level
            handler = self._EVAL.get(type(expr))
            value = handler(self, scope, expr) if handler is not None else UNKNOWN
        except RecursionError:
            value = UNKNOWN
        finally:
            self._busy.discard(key)
            reads = log.close()
        self._memo[key] = (value, reads)
        return value

    def _eval_name(self, scope: Scope, expr: ir.Name) -> Value:
        return self.name(scope, expr.id)

    def _eval_attr(self, scope: Scope, expr: ir.Attr) -> Value:
        return self.attribute(self.eval(scope, expr.value), expr.attr)

    def _eval_call(self, scope: Scope, expr: ir.Call) -> Value:
        if isinstance(expr.func, ir.Attr):
            attr = expr.func.attr
            if attr in _ENTER:
                receiver = self.eval(scope, expr.func.value)
                if any(isinstance(option, EnterV) for option in options(receiver)):
                    return self._entered(scope, receiver, expr)
            elif attr in self._element_methods:  # `done.pop()` of a set of futures: one
                receiver = self.eval(scope, expr.func.value)
                if isinstance(receiver, IterV) and receiver.container:
                    return receiver.elem
        func = self.eval(scope, expr.func)
        if isinstance(func, UnionV):
            return union(self.result_of(scope, option, expr) for option in func.options)
        return self.result_of(scope, func, expr)

    def _entered(self, scope: Scope, receiver: Value, expr: ir.Call) -> Value:
        """`m.__enter__()` / `m.__aenter__()` (what `with m as x` binds x to)."""
        attr = expr.func.attr  # type: ignore[union-attr]  # (an Attr: _eval_call)
        entered = []
        for option in options(receiver):
            if isinstance(option, EnterV):
                entered.append(CoroV(option.entered) if attr == "__aenter__" else option.entered)
            else:
                entered.append(self.result_of(scope, self.attribute(option, attr), expr))
        return union(entered)

    def _eval_const(self, scope: Scope, expr: ir.Const) -> Value:
        if isinstance(expr.value, str):
            return InstV("builtins.str", external=True)
        return NONE if expr.value is None else UNKNOWN

    def _eval_binop(self, scope: Scope, expr: ir.BinOp) -> Value:
        left = self.eval(scope, expr.left)
        if expr.op == "/":
            joined = union(
                self._method_type(option, "__truediv__")
                for option in options(left)
                if isinstance(option, InstV)
            )
            if joined != UNKNOWN:
                return joined
            right = self.eval(scope, expr.right)
            if isinstance(right, InstV) and right.external and "Path" in right.cls:
                return right
        if expr.op == "+" and left == InstV("builtins.str", True):
            return left
        return UNKNOWN

    def _eval_subscript(self, scope: Scope, expr: ir.Subscript) -> Value:
        return union(self._item(option, expr) for option in options(self.eval(scope, expr.value)))

    def _item(self, base: Value, expr: ir.Subscript) -> Value:
        match base:
            case TupleV(items=items) if isinstance(expr.item, ir.Const):
                position = expr.item.value
                if isinstance(position, int) and -len(items) <= position < len(items):
                    return items[position]
                return UNKNOWN
            case IterV(elem=elem):
                return elem
            case InstV(cls=cls, external=True):
                item_type = self.types.method_return(cls, "__getitem__")
                return self.type_value(item_type, base) if item_type else UNKNOWN
        return UNKNOWN

    def _eval_element(self, scope: Scope, expr: ir.Element) -> Value:
        return self.element(self.eval(scope, expr.value))

    def _eval_await(self, scope: Scope, expr: ir.Await) -> Value:
        inner = self.eval(scope, expr.value)
        return union(o.result for o in options(inner) if isinstance(o, CoroV))

    def _eval_one_of(self, scope: Scope, expr: ir.OneOf) -> Value:
        # `path or DEFAULT`, `a if c else b`: any of the known options
        return union(self.eval(scope, option) for option in expr.options)

    def _eval_func_ref(self, scope: Scope, expr: ir.FuncRef) -> Value:
        return FuncV(f"{scope.module.module}.{expr.qualname}")

    def _eval_class_ref(self, scope: Scope, expr: ir.ClassRef) -> Value:
        return ClassV(f"{scope.module.module}.{expr.qualname}")

    def _eval_tuple(self, scope: Scope, expr: ir.Tuple) -> Value:
        return TupleV(tuple(self.eval(scope, item) for item in expr.items))

    def _eval_display(self, scope: Scope, expr: ir.Display) -> Value:
        container = f"builtins.{expr.kind}"
        if expr.elem is not None:  # `[executor.submit(f, u) for u in urls]`: of Futures
            elem = self.eval(scope, expr.elem)
            if elem != UNKNOWN:
                return IterV(elem, container)
        return InstV(container, external=True)

    def _eval_annotated(self, scope: Scope, expr: ir.Annotated) -> Value:
        return self.annotation(self.enclosing(scope), expr.annotation)

    def _eval_import(self, scope: Scope, expr: ir.ImportOf) -> Value:
        return self.resolve_import(expr.target)

    _EVAL: dict[type, Callable[[Any, Scope, Any], Value]] = {
        ir.Name: _eval_name,
        ir.Attr: _eval_attr,
        ir.Call: _eval_call,
        ir.Const: _eval_const,
        ir.BinOp: _eval_binop,
        ir.Subscript: _eval_subscript,
        ir.Element: _eval_element,
        ir.Await: _eval_await,
        ir.OneOf: _eval_one_of,
        ir.FuncRef: _eval_func_ref,
        ir.ClassRef: _eval_class_ref,
        ir.Tuple: _eval_tuple,
        ir.Display: _eval_display,
        ir.Annotated: _eval_annotated,
        ir.ImportOf: _eval_import,
    }

    def element(self, value: Value) -> Value:
        if isinstance(value, UnionV):
            return union(self.element(option) for option in value.options)
        if isinstance(value, IterV):
            return value.elem
        if isinstance(value, TupleV):  # `for p in [Path("a"), Path("b")]`: any item
            return union(value.items)
        if isinstance(value, InstV) and value.external:
            elem = self.types.element(value.cls)
            if elem:
                return self.type_value(elem)
        return UNKNOWN

    def name(self, scope: Scope, name: str, free: bool = False) -> Value:
        """The value of `name` where `scope` is. `free`: looked up from a nested function,
        which runs after its enclosing one bound it: any binding may be the one it sees."""
        fs = scope.func
        if fs.kind is not FunctionKind.MODULE and name not in fs.globals_declared:
            for index, (param, annotation) in enumerate(fs.params):
                if param != name:
                    continue
                if index == 0 and fs.class_name is not None and fs.kind is FunctionKind.FUNCTION:
                    cls = f"{scope.module.module}.{fs.class_name}"
                    names = {ir.dotted(d) for d in fs.decorators}
                    if "staticmethod" in names:
                        return self.annotation(scope, annotation)
                    if "classmethod" in names:
                        return ClassV(cls)
                    return InstV(cls, external=False)
                declared = self.annotation(self.enclosing(scope), annotation)
                if free and name in fs.locals:  # `root = Path(root)`, then a closure
                    return union((declared, self._rebinding(scope, name, None)))
                return self._rebinding(scope, name, declared)
            if name in fs.locals:
                return self._rebinding(scope, name, None)
            if ".<locals>." in fs.qualname:
                return self.name(self.enclosing(scope), name, free=True)
        return self.lookup_global(scope.module.module, name)

    def _rebinding(self, scope: Scope, name: str, declared: Value | None) -> Value:
        """A local (or a parameter of `declared` type, bound again in the body) where
        `scope` is: the union of the bindings that reach there (bindings.py); anywhere, the
        union of all of them (a parameter: its declared type); narrowed by the
        `isinstance` tests around it."""
        reaching: tuple[int, ...] | None = None
        narrowed: tuple[ir.Expr, ...] = ()
        if scope.at is not None:
            for positional_name, reach, classes in scope.at:
                if positional_name == name:
                    reaching, narrowed = reach, classes
                    break
        value = self._reaching(scope, name, declared, reaching)
        if not narrowed:
            return value
        return self._narrow(Scope(scope.module, scope.func, scope.qualname), value, narrowed)

    def _reaching(
        self, scope: Scope, name: str, declared: Value | None, reaching: tuple[int, ...] | None
    ) -> Value:
        fs = scope.func
        bindings = fs.locals.get(name, [])
        if reaching is None:
            if declared is not None:
                return declared
            reaching = tuple(range(len(bindings)))
        elif ON_ENTRY in reaching and declared is None:
            reaching = tuple(range(len(bindings)))  # a use no binding surely reaches
        values: list[Value] = []
        if ON_ENTRY in reaching and declared is not None:
            values.append(declared)
        statement: int | None = None
        sites = fs.bound_at.get(name, ())
        anywhere = Scope(scope.module, fs, scope.qualname)
        for index in reaching:
            if index == ON_ENTRY:
                continue
            line, region = sites[index]
            if line == statement:
                continue  # `x: T = v`: the statement's first known binding (the annotation)
            binding = bindings[index]
            value = self.eval(self.at(anywhere, line, region, binding), binding)
            if value not in (UNKNOWN, NONE):
                values.append(value)
                statement = line
        return union(values)

    def _narrow(self, scope: Scope, value: Value, classes: tuple[ir.Expr, ...]) -> Value:
        """`value` where `isinstance` proved it one of `classes` (each test holds): its members
        that are instances of them, else the classes themselves; as it was where the classes
        are not known."""
        for cls in classes:
            items = cls.items if isinstance(cls, ir.Tuple) else (cls,)
            kinds = [o for o in options(union(self.annotation(scope, i) for i in items))]
            if not kinds or not all(isinstance(k, InstV) for k in kinds):
                continue
            kept = [o for o in options(value) if any(self._is_a(o, k) for k in kinds)]
            value = union(kept) if kept else union(kinds)
        return value

    def _is_a(self, value: Value, kind: Value) -> bool:
        if not isinstance(value, InstV) or not isinstance(kind, InstV):
            return False
        mro = self.types.mro(value.cls) if value.external else self.mro(value.cls)
        return kind.cls in mro or value.cls == kind.cls

    def _method_type(self, inst: InstV, method: str) -> Value:
        if inst.external:
            ret = self.types.method_return(inst.cls, method)
            return self.type_value(ret, inst) if ret else UNKNOWN
        member = self.class_member(inst.cls, method)
        if isinstance(member, FuncV):
            return self.returns(member)
        if isinstance(member, BoundExtV):
            ret = self.types.method_return(member.cls, method)
            return self.type_value(ret, inst) if ret else UNKNOWN
        return UNKNOWN

    def result_of(self, scope: Scope, target: Value, call: ir.Call) -> Value:
        """What calling `target` with `call`'s arguments gives."""
        match target:
            case FuncV():
                return self.returns(target)
            case ClassV(qualname=qualname):
                return InstV(qualname, external=False)
            case PartialV(func=func):
                return self.result_of(scope, func, call)
            case ExtV(symbol=symbol):
                return self._external_result(scope, symbol, call)
            case BoundExtV(cls=cls, method=method):
                ret = self.types.method_return(cls, method)
                if not ret:
                    return UNKNOWN
                if method == "open":
                    ret = _open_type(ret, call)
                return self.type_value(ret, InstV(cls, external=True))
            case InstV(external=False):
                return self._method_type(target, "__call__")  # calling an instance
        return UNKNOWN

    def _external_result(self, scope: Scope, symbol: str, call: ir.Call) -> Value:
        """Calling an external function or class; the builtins that shape values first."""
        args = call.args
        match symbol:
            case "functools.partial" if args:
                return PartialV(self.eval(scope, args[0]))
            case "builtins.super":
                fs = scope.func
                if fs.class_name is None:
                    return UNKNOWN
                return SuperV(f"{scope.module.module}.{fs.class_name}")
            case "builtins.getattr" if len(args) >= 2:
                attr = args[1]
                if isinstance(attr, ir.Const) and isinstance(attr.value, str):
                    return self.attribute(self.eval(scope, args[0]), attr.value)
                return UNKNOWN
            case "builtins.sorted" | "builtins.list" if args:
                elem = self.element(self.eval(scope, args[0]))
                if elem == UNKNOWN:
                    return InstV("builtins.list", external=True)
                return IterV(elem, "builtins.list")
            case "builtins.iter" | "builtins.reversed" if args:
                elem = self.element(self.eval(scope, args[0]))
                return IterV(elem) if elem != UNKNOWN else UNKNOWN
            case "builtins.next" if args:
                return self.element(self.eval(scope, args[0]))
            case "builtins.enumerate" if args:
                index = InstV("builtins.int", external=True)
                return IterV(TupleV((index, self.element(self.eval(scope, args[0])))))
            case "builtins.zip" if args:
                return IterV(TupleV(tuple(self.element(self.eval(scope, a)) for a in args)))
        if symbol in self._casts and args:
            return self.annotation(scope, args[0])
        if symbol in self._containers:  # `{}`, `dict(...)`: their methods never block
            return InstV(symbol, external=True)
        for variant in self.types.variants(symbol):
            if self._picks(scope, call, variant):
                return self.type_value(variant.type)
        ret = self.types.returns.get(symbol)
        if ret:
            if symbol == "builtins.open" or symbol == "io.open" or symbol.endswith(".open"):
                return self.type_value(_open_type(ret, call))
            return self.type_value(ret)
        if symbol.rsplit(".", 1)[-1][:1].isupper():
            return InstV(symbol, external=True)
        return UNKNOWN

    def _picks(self, scope: Scope, call: ir.Call, variant: TypeVariant) -> bool:
        """Does the argument a type variant looks at mention its marker (`SOCK_DGRAM`), or
        hold an in-memory buffer?"""
        values = [v for k, v in call.kwargs if k == variant.kwarg]
        if variant.arg is not None and variant.arg < len(call.args):
            values.append(call.args[variant.arg])
        if variant.buffer:
            return any(self.is_buffer(scope, v) for v in values)
        marker = variant.contains or ""
        return any(marker in ir.render(v) for v in values)

    def is_buffer(self, scope: Scope, expr: ir.Expr) -> bool:
        """An in-memory file object (`io.BytesIO()`, or a ZipFile built over one): its
        "IO" is CPU work. Anything not proven to be one is not."""
        value = self.eval(scope, expr)
        return isinstance(value, InstV) and value.cls in self.types.buffers.classes

    # -- iteration helpers -----------------------------------------------------------------
    def iter_functions(self) -> Iterator[tuple[str, ModuleSummary, FuncSummary]]:
        for qualname in sorted(self.functions):
            summary, fs = self.functions[qualname]
            yield qualname, summary, fs


def _c3(head: str, bases: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """C3 linearization of a class with these bases' linearizations (None: no consistent
    order, which Python would refuse; the caller falls back)."""
    seqs = [list(line) for line in bases if line]
    seqs.append([line[0] for line in bases if line])
    out = [head]
    while True:
        seqs = [seq for seq in seqs if seq]
        if not seqs:
            return tuple(out)
        for seq in seqs:
            candidate = seq[0]
            if not any(candidate in other[1:] for other in seqs):
                break
        else:
            return None
        if candidate in out:  # a cycle of bases (broken code)
            return None
        out.append(candidate)
        for seq in seqs:
            if seq[0] == candidate:
                del seq[0]


def _open_type(default: TypeRef, call: ir.Call) -> TypeRef:
    """`open(p, "rb")` gives a binary file; the rules treat all file objects alike, but the
    binary/text split keeps runtime keys honest in messages."""
    mode = None
    if len(call.args) >= 2 and isinstance(call.args[1], ir.Const):
        mode = call.args[1].value
    for key, value in call.kwargs:
        if key == "mode" and isinstance(value, ir.Const):
            mode = value.value
    if isinstance(mode, str) and "b" in mode:
        if "r" in mode and "+" not in mode:
            return TypeRef("io.BufferedReader")
        return TypeRef("io.BufferedWriter" if "+" not in mode else "io.BufferedRandom")
    return default


def _empty_literal(expr: ir.Expr) -> bool:
    """`[]`, `{}`, `set()`-like displays: a container's placeholder, not its element type."""
    if isinstance(expr, ir.Tuple):
        return not expr.items
    return isinstance(expr, ir.Display) and bool(expr.empty)
