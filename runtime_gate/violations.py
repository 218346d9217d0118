"""A caught blocking call: which rule, where in the project's code, how it got there."""

from __future__ import annotations

import ast
import builtins
import inspect
import linecache
import os
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

from blocking_io.shared_rules.models import ArgCondition, Rule
from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import ChainStep
from blocking_io.shared_rules.reports import Violation as ViolationEntry

from .interceptions import UNNAMED_BLOCKBUSTER_KEYS

_OWN_DIRS = tuple(
    os.path.join(os.path.dirname(os.path.realpath(m.__file__)), "")
    for m in (sys.modules[__name__.rpartition(".")[0]],)
    if m.__file__
)
_LIBRARY_DIRS = tuple(
    os.path.join(os.path.realpath(p), "")
    for p in {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
)
_CHAIN_LIMIT = 12


@dataclass
class Violation:
    rule: Rule
    symbol: str  # the registry target it matched, or the intercepted key
    primitive: str  # the intercepted runtime key
    site: ChainStep  # the first frame in the project's own (scanned) code
    chain: list[ChainStep]  # entry point (test) -> ... -> site
    test: str = ""
    phase: str = ""
    swallowed_at: ChainStep | None = None
    # run by the loop as a callback (call_soon, a done callback, a protocol method), not by
    # a task: recorded and not raised (see gates.Gate._wrap)
    in_callback: bool = False
    # the BlockingIOViolation built for it (raised, unless in a callback)
    error: BaseException | None = field(default=None, repr=False)

    def describe(self, *, swallowed: bool = False, times: int = 1) -> str:
        """The violation as a block of lines; `times`: how often the same call was made
        (and caught) the same way, a retry loop's attempts."""
        rule = self.rule
        lines = [f"{rule.id} {rule.name}: {rule.render_message(self.symbol)}"]
        if times > 1:
            lines.append(f"  times:      {times} (the same call, caught each time)")
        lines += [f"  primitive:  {self.primitive}", f"  at:         {self.site}"]
        if swallowed and self.in_callback:
            lines.append(
                "  in callback: run by the loop (call_soon, call_later, a done callback, a "
                "protocol method), not by a task"
            )
        elif swallowed:
            where = f" in {self.swallowed_at}" if self.swallowed_at else ""
            lines.append(f"  swallowed:  caught{where}; the test never saw the error")
        if self.chain:
            lines.append("  call chain: " + "\n           -> ".join(str(s) for s in self.chain))
        lines.append(f"  fix:        {rule.fix}")
        return "\n".join(lines)

    def entry(self, swallowed: bool) -> ViolationEntry:
        return ViolationEntry(
            test=self.test,
            rule=self.rule.id,
            symbol=self.symbol,
            path=self.site.path,
            line=self.site.line,
            function=self.site.function,
            swallowed=swallowed,
        )


class Scope:
    """Which frames are the project's own code (scanned) and which are project files at all."""

    def __init__(self, scanned_paths: tuple[str, ...], root: Path, excluded: tuple[str, ...] = ()):
        self.scanned_paths = scanned_paths
        self.excluded = excluded
        self.root = os.path.join(os.path.realpath(root), "")
        self._rel: dict[str, str] = {}

    def is_scanned(self, filename: str) -> bool:
        return filename.startswith(self.scanned_paths) and not filename.startswith(self.excluded)

    def is_project(self, filename: str) -> bool:
        """Test code and the project's own code: under the root, not a library, not the gate."""
        if self.is_scanned(filename):
            return True
        real = os.path.realpath(filename) if not filename.startswith("<") else filename
        return (
            real.startswith(self.root)
            and not real.startswith(_OWN_DIRS)
            and not real.startswith(_LIBRARY_DIRS)
            and "site-packages" not in real
        )

    def relpath(self, filename: str) -> str:
        rel = self._rel.get(filename)
        if rel is None:
            real = os.path.realpath(filename)
            rel = (
                Path(real[len(self.root) :]).as_posix()
                if real.startswith(self.root)
                else Path(real).as_posix()
            )
            self._rel[filename] = rel
        return rel

    def step(self, frame: FrameType, line: int | None = None) -> ChainStep:
        """One frame: project-relative posix path (absolute outside the root), line, function."""
        return ChainStep(
            function=qualname(frame),
            path=self.relpath(frame.f_code.co_filename),
            line=line if line is not None else frame.f_lineno,
        )


def qualname(frame: FrameType) -> str:
    code = frame.f_code
    name = getattr(code, "co_qualname", None)  # 3.11+
    if name is None:
        name = code.co_name
        owner = frame.f_locals.get("self", frame.f_locals.get("cls"))
        if owner is not None and code.co_varnames[:1] in (("self",), ("cls",)):
            cls = owner if isinstance(owner, type) else type(owner)
            name = f"{cls.__name__}.{name}"
    return name


def _symbols(frame: FrameType, canonical: Callable[[str], str]) -> list[str]:
    """Names a library frame may be known by in the registry (`json.load`, `queue.Queue.get`);
    `canonical` maps where a function is defined to the name the registry uses for it
    (`posixpath` -> `os.path`, the registry's type aliases)."""
    module = frame.f_globals.get("__name__") or ""
    qual = qualname(frame)
    if "<" in qual:
        return []
    parts = module.split(".")
    public = [p for p in parts if not p.startswith("_")] or parts
    names = [module, ".".join(public), canonical(module), parts[0]]
    return [f"{m}.{qual}" for m in dict.fromkeys(n for n in names if n)]


class Attribution:
    """Maps an intercepted key (plus the library frames above it) to a registry rule."""

    def __init__(self, registry: Registry):
        self.active = {r.id for r in registry.rules}
        everything = registry.all_rules or registry.rules
        self._all = Registry(rules=everything, types=registry.types)
        self._by_key: dict[str, list[tuple[Rule, str]]] = {}
        for rule in everything:
            specs = [(rule.runtime, None)] + [(t.runtime, t) for t in rule.targets if t.runtime]
            for spec, target in specs:
                for key in spec.keys:
                    self._by_key.setdefault(key, []).append((rule, target.symbol if target else ""))

    def keys_of_active_rules(self) -> dict[str, list[str]]:
        """Runtime keys to install -> ids of the active rules that need them."""
        out: dict[str, list[str]] = {}
        for key, entries in self._by_key.items():
            ids = [r.id for r, _ in entries if r.id in self.active]
            if ids:
                out[key] = list(dict.fromkeys(ids))
        return out

    def conditions(self) -> dict[str, tuple[ArgCondition, ...]]:
        """Runtime key -> `nonblocking_if` patterns of the active targets it intercepts.

        A pattern is about the target's own arguments, so it applies to a key only when the
        key is the same method (`threading.RLock.acquire`), not to the lock acquire under
        `threading.Event.wait`.
        """
        out: dict[str, tuple[ArgCondition, ...]] = {}
        for rule in self._all.rules:
            if rule.id not in self.active:
                continue
            for target in rule.targets:
                if not target.nonblocking_if:
                    continue
                method = target.symbol.rsplit(".", 1)[-1]
                for key in rule.runtime_for(target).keys:
                    if key.rsplit(".", 1)[-1] == method:
                        out[key] = out.get(key, ()) + target.nonblocking_if
        return out

    def attribute(self, key: str, library: list[FrameType]) -> tuple[Rule, str] | None:
        """(rule, symbol); None when the call belongs to a rule the project disabled.

        `library` runs from the frame the project called (outermost) to the one next to the
        primitive: `json.load` beats `io.TextIOWrapper.read`, `Event.wait` beats `Lock.acquire`.
        """
        for frame in library:
            for symbol in _symbols(frame, self._all.types.canonical):
                match = self._all.match(symbol)
                if match is not None:
                    if match.rule.id not in self.active:
                        return None
                    return match.rule, match.target.symbol
        rule = self._fallback(UNNAMED_BLOCKBUSTER_KEYS.get(key, key))
        if rule is None or rule.id not in self.active:
            return None
        return rule, key

    def _fallback(self, key: str) -> Rule | None:
        entries = self._by_key.get(key, [])
        if not entries:
            return None
        method = key.rsplit(".", 1)[-1]
        ranked = sorted(
            entries,
            key=lambda e: (
                not any(t.symbol == key for t in e[0].targets),
                not (e[1] and e[1].rsplit(".", 1)[-1] == method),
                not any(t.symbol.rsplit(".", 1)[-1] == method for t in e[0].targets),
            ),
        )
        return ranked[0][0]


def analyse(frame: FrameType, scope: Scope) -> tuple[list[FrameType], FrameType, list[ChainStep]]:
    """(library frames between the project and the primitive, the site frame, the chain)."""
    frames: list[FrameType] = []
    f: FrameType | None = frame
    while f is not None:
        frames.append(f)
        f = f.f_back
    site_index = next(
        (i for i, fr in enumerate(frames) if scope.is_scanned(fr.f_code.co_filename)), None
    )
    if site_index is None:  # scanned_modules=None: everything counts as the project's
        site_index = next(
            (i for i, fr in enumerate(frames) if scope.is_project(fr.f_code.co_filename)), 0
        )
    library = frames[:site_index][::-1]
    outer = frames[site_index:][::-1]
    chain = [scope.step(fr) for fr in outer if scope.is_project(fr.f_code.co_filename)]
    if len(chain) > _CHAIN_LIMIT:
        chain = [
            *chain[:2],
            ChainStep(function="...", path="...", line=0),
            *chain[-(_CHAIN_LIMIT - 3) :],
        ]
    return library, frames[site_index], chain


_TASK_CODE = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE | inspect.CO_ASYNC_GENERATOR


def on_a_coroutine(frame: FrameType | None) -> bool:
    """Whether a coroutine (a task's, an async generator's) is on the stack. A task runs its
    coroutine's frame, so a blocking call there has one below it; a callback the loop runs
    (`call_soon`, `call_later`, a done callback, a protocol's `data_received`) has none, and an
    error it raises goes to the loop's exception handler, not to the test."""
    while frame is not None:
        if frame.f_code.co_flags & _TASK_CODE:
            return True
        frame = frame.f_back
    return False


def swallowed_at(error: BaseException, scope: Scope) -> ChainStep | None:
    """Where a caught error stopped: the `except` (or `with contextlib.suppress(...)`) that
    caught it, in the outermost frame its traceback reached; the line the error passed
    there when no such clause is found (a task, `gather(return_exceptions=True)`)."""
    tb: TracebackType | None = error.__traceback__
    if tb is None:
        return None
    # its first entry is the outermost frame the error reached: the one that caught it
    frame, line = tb.tb_frame, tb.tb_lineno
    return scope.step(frame, _catching_line(frame, line, error) or line)


def _catching_line(frame: FrameType, line: int, error: BaseException) -> int | None:
    """The line of the clause that caught `error`, raised at `line` of `frame`'s function."""
    tree = _parsed(frame.f_code.co_filename)
    if tree is None:
        return None
    function = _innermost_function(tree, line)
    enclosing: list[ast.stmt] = []  # innermost last
    _enclosing_blocks(function.body if function else tree.body, line, enclosing)
    fallback = None
    for block in reversed(enclosing):
        if isinstance(block, _WITHS):
            for item in block.items:
                call = _suppress(item.context_expr)
                if call is not None and _catches(call.args, error, frame):
                    return block.lineno
            fallback = fallback or block.lineno  # a context manager that swallows: maybe this
            continue
        handlers: list[ast.ExceptHandler] = getattr(block, "handlers", [])
        for handler in handlers:
            if handler.type is None or _catches([handler.type], error, frame):
                return handler.lineno
    return fallback


_TREES: dict[str, tuple[int, ast.Module | None]] = {}


def _parsed(filename: str) -> ast.Module | None:
    lines = linecache.getlines(filename)
    if not lines:
        return None
    key = hash(tuple(lines))
    cached = _TREES.get(filename)
    if cached is None or cached[0] != key:
        try:
            tree: ast.Module | None = ast.parse("".join(lines), filename)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        cached = _TREES[filename] = (key, tree)
    return cached[1]


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _spans(node: ast.AST, line: int) -> bool:
    start: int | None = getattr(node, "lineno", None)
    if start is None:
        return False
    end: int = getattr(node, "end_lineno", None) or start
    return start <= line <= end


def _innermost_function(
    tree: ast.Module, line: int
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    found = None
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (*_FUNCTIONS, ast.ClassDef)) and _spans(child, line):
                if isinstance(child, _FUNCTIONS):
                    found = child
                stack.append(child)
    return found


def _body_spans(body: list[ast.stmt], line: int) -> bool:
    return bool(body) and body[0].lineno <= line <= (body[-1].end_lineno or body[-1].lineno)


_TRIES = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
_WITHS = (ast.With, ast.AsyncWith)


def _enclosing_blocks(body: list[ast.stmt], line: int, out: list[ast.stmt]) -> None:
    """The try statements whose body, and the with statements whose body, hold `line`
    (outermost first), within one function: nested definitions are not entered."""
    for stmt in body:
        if not _spans(stmt, line) or isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
            continue
        if isinstance(stmt, (*_TRIES, *_WITHS)) and _body_spans(getattr(stmt, "body", []), line):
            out.append(stmt)
        for block in _blocks(stmt):
            _enclosing_blocks(block, line, out)
        return


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a compound statement."""
    out = [getattr(stmt, name) for name in ("body", "orelse", "finalbody") if hasattr(stmt, name)]
    out.extend(handler.body for handler in getattr(stmt, "handlers", ()))
    out.extend(case.body for case in getattr(stmt, "cases", ()))
    return [block for block in out if isinstance(block, list)]


def _suppress(expr: ast.expr) -> ast.Call | None:
    """`suppress(...)` / `contextlib.suppress(...)`, the context manager that swallows."""
    if not isinstance(expr, ast.Call):
        return None
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return expr if name == "suppress" else None


def _catches(types: list[ast.expr], error: BaseException, frame: FrameType) -> bool:
    """Whether an `except` clause (or `suppress(...)`) naming `types` catches `error`; a type
    that cannot be looked up counts as catching it (the error did stop in this frame)."""
    for node in types:
        for item in node.elts if isinstance(node, ast.Tuple) else [node]:
            value = _lookup(item, frame)
            if value is None:
                return True
            candidates = value if isinstance(value, tuple) else (value,)
            if any(isinstance(c, type) and isinstance(error, c) for c in candidates):
                return True
    return False


def _lookup(node: ast.expr, frame: FrameType) -> object | None:
    """A name or dotted name as the frame sees it (no code is run)."""
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, vars(builtins)):
            if node.id in scope:
                return scope[node.id]
        return None
    if isinstance(node, ast.Attribute):
        owner = _lookup(node.value, frame)
        return None if owner is None else inspect.getattr_static(owner, node.attr, None)
    return None


def reached(error: BaseException, outcome: BaseException | None) -> bool:
    """Did `error` reach the test: is it `outcome` or in its cause/context/group chain?"""
    seen: set[int] = set()
    stack: list[BaseException | None] = [outcome]
    while stack:
        exc = stack.pop()
        if exc is None or id(exc) in seen:
            continue
        if exc is error:
            return True
        seen.add(id(exc))
        stack.extend([exc.__cause__, exc.__context__])
        stack.extend(getattr(exc, "exceptions", ()) or ())
    return False
