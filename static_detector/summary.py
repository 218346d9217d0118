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


class RegionKind(IntEnum):
    """What a control-flow region of a function is, and what its Region's `expr` holds.

    Guards (their region runs only when `expr` is truthy, or falsy where `when` is False):
    IF, ELSE, AFTER_EXIT, WHILE, LOOP_ELSE, MATCH_CASE, OR, AND, IF_EXP, IF_EXP_ELSE, COMP_IF.
    The others hold a context (`when` is True): a manager, an iterable, an exception type.
    """

    IF = 1  # the body of `if expr:`
    ELSE = 2  # its else (an elif is an if in it); when=False
    # the rest of a block after `if expr: return|raise|continue|break`; when=False (when the
    # else branch is the one that always leaves, when=True)
    AFTER_EXIT = 3
    WHILE = 4  # the body of `while expr:`
    FOR = 5  # the body of a for loop; expr: the iterable
    ASYNC_FOR = 6
    LOOP_ELSE = 7  # the else of a loop; while: expr is its test, when=False; for: UNKNOWN
    TRY = 8  # the body of a try; expr: UNKNOWN
    EXCEPT = 9  # a handler; expr: its exception type (UNKNOWN for a bare except)
    TRY_ELSE = 10  # expr: UNKNOWN
    FINALLY = 11  # expr: UNKNOWN
    WITH = 12  # the body of a with (and the items after this one); expr: the manager
    ASYNC_WITH = 13
    MATCH_CASE = 14  # expr: the case's pattern as a condition on the subject, and its guard
    OR = 15  # the right operands of `expr or ...`; when=False
    AND = 16  # the right operands of `expr and ...`
    IF_EXP = 17  # `body if expr else ...`
    IF_EXP_ELSE = 18  # `... if expr else orelse`; when=False
    COMPREHENSION = 19  # what a comprehension runs per element of `for ... in expr`
    COMP_IF = 20  # what a comprehension runs after its `if expr`


class FunctionKind(IntEnum):
    FUNCTION = 1  # a def (methods included)
    LAMBDA = 2
    MODULE = 3  # the "<module>" pseudo-function: module-level code


class DefKind(IntEnum):
    """What a module-level `def` or `class` statement binds a name to."""

    FUNCTION = 1
    CLASS = 2


class Origin(IntEnum):
    PROJECT = 1  # scanned project code
    DEPENDENCY = 2  # an installed package the project calls into


class Region(NamedTuple):
    """A part of a function body that runs only under a condition or inside a context
    (a held lock, a handled exception, a loop). Regions nest. Recorded as written, nothing
    judged: UNKNOWN is a test too complex to write in ir (or no expression: TRY)."""

    kind: RegionKind
    parent: int  # index of the enclosing region in FuncSummary.regions; -1: none
    expr: Expr  # a guard's test or a context's expression (see RegionKind)
    when: bool  # a guard's polarity: its region runs only when `expr` is truthy (True)
    line: int  # the first and last line of the code in the region
    end_line: int


class CallSite(NamedTuple):
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[tuple[str, Expr], ...]
    line: int
    col: int
    end_line: int
    end_col: int
    context: Use = Use.OTHER
    parent: int = -1  # the call this one is an argument or the callee of (Use.ARG, CALLEE)
    bound_to: str | None = None  # local name the result is assigned to
    protocol: str | None = None  # "__enter__"/"__exit__"/"__iter__" for implicit calls
    # first line of the enclosing statement: line-coverage tools report a multi-line
    # statement on its first line, and the gap report joins on either
    stmt_line: int = 0
    unpacks: bool = False  # `*args` or `**kwargs` among the arguments: any shape possible
    region: int = -1  # innermost Region (index in FuncSummary.regions); -1: the body itself


class NameUse(NamedTuple):
    context: Use
    parent: int = -1
    region: int = -1


# An attribute read that is not called right away (maybe a property: a hidden call):
# (expression, line, column, region). A plain tuple, not a NamedTuple: there are many, and
# a NamedTuple costs a Python-level __new__ each when unpickled.
AttrLoad = tuple[Expr, int, int, int]


@dataclass
class FuncSummary:
    qualname: str  # module-relative: "f", "C.m", "f.<locals>.g", "f.<lambda@12:8>"
    line: int
    end_line: int
    is_async: bool
    is_generator: bool
    kind: FunctionKind
    class_name: str | None  # module-relative qualname of the class for methods
    decorators: tuple[Expr, ...] = ()
    params: tuple[tuple[str, Expr | None], ...] = ()  # (name, annotation), in order
    # how arguments bind: the first `positional` params take positional arguments; `vararg`
    # and `kwarg` name `*args` / `**kwargs`; `defaults` are the default values by name
    positional: int = 0
    vararg: str | None = None
    kwarg: str | None = None
    defaults: dict[str, Expr] = field(default_factory=dict)
    returns: Expr | None = None
    return_exprs: tuple[Expr, ...] = ()
    return_at: tuple[tuple[int, int], ...] = ()  # (line, region) of each of return_exprs
    locals: dict[str, list[Expr]] = field(default_factory=dict)
    # where each of `locals[name]` is bound: (first line of its statement, its region), for
    # the binding that reaches a use (bindings.py)
    bound_at: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # local name -> the line of its first assignment: a test of a parameter says something
    # about what the caller passed only before the parameter is rebound
    assigned: dict[str, int] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    attr_loads: list[AttrLoad] = field(default_factory=list)
    name_uses: dict[str, list[NameUse]] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    globals_declared: tuple[str, ...] = ()
    # a method subclasses must provide: `@abstractmethod`, or a body that is only a
    # docstring, `pass`, `...` or `raise NotImplementedError`
    is_stub: bool = False


@dataclass
class ClassSummary:
    bases: tuple[Expr, ...]
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
    defs: dict[str, tuple[DefKind, str]] = field(default_factory=dict)  # name -> (kind, qualname)
    suppressions: dict[int, Suppression] = field(default_factory=dict)
    # parts nested too deep to walk even on a deep stack, left out of the summary:
    # (function qualname, or "" for a module-level statement; its first line)
    too_deep: list[tuple[str, int]] = field(default_factory=list)
    # identifiers this module reads as values (names, attributes, and the parts of strings
    # that look like dotted names `pkg.mod:Cls`), not in annotations or base class lists:
    # a class no module mentions can never be instantiated (rapid type analysis)
    mentions: frozenset[str] = frozenset()
    # of those, the ones read other than as the callee of a call (`app.add(self.handle)`,
    # `"pkg.mod:func"`): a function named here may be called from anywhere (closed world)
    escapes: frozenset[str] = frozenset()
    # one-word strings (`"delete"`), and whether the module looks attributes up by a name
    # computed at run time (`getattr(obj, action)`): then any such word may name a function
    words: frozenset[str] = frozenset()
    dynamic_attributes: bool = False
    origin: Origin = Origin.PROJECT
