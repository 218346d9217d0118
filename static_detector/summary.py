"""The data model of module summaries: what one module's source says, in the symbolic form
of ir.py, for the whole-program analysis (resolver.py, callgraph.py) to resolve later.

Summaries are built in worker processes (summarize.py) and pickled into the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple

from .ir import Expr
from .suppressions import Suppression

# Summaries are pickled into the cache and back from worker processes. Tuples unpickle in
# C; slotted dataclasses go through Python-level __setstate__, which made loading the
# summaries of a cold scan cost a third of building them. Hence NamedTuples for the many
# small records and plain (dict-backed) dataclasses for the few large ones. Enums are
# IntEnums: pickled once per module (then memoized), hashed and compared in C.


class Use(IntEnum):
    """How the value of a call or name is used where it is computed."""

    OTHER = 0
    ITER = 1  # iterated right away: for, comprehension, yield from, `*value`
    AITER = 2  # async for, async comprehension
    ARG = 3  # an argument of call `parent` at `pos`
    CALLEE = 4  # the called expression of call `parent`
    RETURN = 5
    AWAIT = 6
    WITH = 7  # a context manager
    STMT = 8  # an expression statement: the value is dropped
    ASSIGN = 9  # assigned (to the local `bound_to` when the target is one plain name)


class CallSite(NamedTuple):
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[tuple[str, Expr], ...]
    line: int
    col: int
    end_line: int
    end_col: int
    context: Use = Use.OTHER
    parent: int = -1
    pos: int | str = -1
    bound_to: str | None = None  # local name the result is assigned to
    protocol: str | None = None  # "__enter__"/"__exit__"/"__iter__" for implicit calls
    # first line of the enclosing statement: line-coverage tools report a multi-line
    # statement on its first line, and the gap report joins on either
    stmt_line: int = 0
    unpacks: bool = False  # `*args` or `**kwargs` among the arguments: any shape possible


class NameUse(NamedTuple):
    context: Use
    parent: int = -1
    pos: int | str = -1


@dataclass
class FuncSummary:
    qualname: str  # module-relative: "f", "C.m", "f.<locals>.g", "f.<lambda@12:8>"
    name: str
    line: int
    end_line: int
    col: int
    is_async: bool
    is_generator: bool
    kind: str  # "function" | "lambda" | "module"
    class_name: str | None  # module-relative qualname of the class for methods
    decorators: tuple[Expr, ...] = ()
    params: tuple[tuple[str, Expr | None], ...] = ()
    returns: Expr | None = None
    return_exprs: tuple[Expr, ...] = ()
    locals: dict[str, list[Expr]] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    attr_loads: list[tuple[Expr, int, int]] = field(default_factory=list)
    name_uses: dict[str, list[NameUse]] = field(default_factory=dict)
    globals_declared: tuple[str, ...] = ()


@dataclass
class ClassSummary:
    qualname: str
    line: int
    end_line: int
    bases: tuple[Expr, ...]
    decorators: tuple[Expr, ...]
    methods: dict[str, str] = field(default_factory=dict)  # name -> function qualname
    attrs: dict[str, list[tuple[str, Expr]]] = field(default_factory=dict)  # (scope, expr)
    annotations: dict[str, Expr] = field(default_factory=dict)


@dataclass
class ModuleSummary:
    module: str
    path: str
    is_package: bool
    sha256: str
    lines: int
    imports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    star_imports: tuple[str, ...] = ()
    globals: dict[str, list[Expr]] = field(default_factory=dict)
    functions: dict[str, FuncSummary] = field(default_factory=dict)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    defs: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, qualname)
    exports: tuple[str, ...] | None = None
    suppressions: dict[int, Suppression] = field(default_factory=dict)
    def_lines: dict[str, int] = field(default_factory=dict)  # function qualname -> def line
    origin: str = "project"  # or "dependency": an installed package the project calls into
