"""Find a project's functions by qualified name without importing the project (`ast` over
the files the static detector discovers), with what an anchor needs to call one: its
parameters, whether it is async, and how to build the instance for a method."""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from blocking_io.shared_rules import InputError, ProjectConfig
from blocking_io.static_detector.discovery import SourceFile, discover
from blocking_io.static_detector.source import SourceError, decode_source, parse_source

DATACLASS_DECORATORS = frozenset(
    {"dataclass", "dataclasses.dataclass", "attr.s", "attr.attrs", "attrs.define",
     "attrs.frozen", "attr.define", "attr.frozen", "define", "frozen", "pydantic.dataclasses.dataclass"}
)  # fmt: skip
FIELD_BASES = frozenset({"BaseModel", "BaseSettings", "NamedTuple", "TypedDict"})
LONG_RUNNING_NAMES = frozenset(
    {"main", "run", "serve", "start", "run_forever", "serve_forever", "lifespan", "worker",
     "loop", "listen", "consume", "poll", "watch", "forever"}
)  # fmt: skip


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # positional-only | positional | keyword-only | var-positional | var-keyword
    annotation: str | None  # source text
    default: str | None  # source text, None when the caller must pass it

    @property
    def required(self) -> bool:
        return self.default is None and self.kind not in ("var-positional", "var-keyword")


@dataclass(frozen=True)
class Constructor:
    params: tuple[Param, ...] | None  # None: could not be found (a base outside the project)
    origin: str  # where the parameters come from, for the skeleton's comments


@dataclass(frozen=True)
class Function:
    qualname: str  # package.module.Class.method
    module: str
    path: str  # relative to the project root, posix
    line: int
    class_path: tuple[str, ...]  # enclosing classes, outermost first ("" for functions)
    name: str
    is_async: bool
    is_generator: bool
    kind: str  # function | method | classmethod | staticmethod | property
    params: tuple[Param, ...]  # without self / cls
    constructor: Constructor | None  # for (instance) methods
    long_running: bool
    statements: int

    @property
    def local_name(self) -> str:
        return ".".join((*self.class_path, self.name))


@dataclass
class _Module:
    source: SourceFile
    tree: ast.Module | None
    error: str | None = None
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)  # local qualname -> node
    functions: dict[str, tuple[ast.FunctionDef | ast.AsyncFunctionDef, tuple[str, ...]]] = field(
        default_factory=dict
    )
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name


class Index:
    """The project's modules, parsed on demand."""

    def __init__(self, project: ProjectConfig) -> None:
        self.project = project
        files, _errors = discover(project, None)
        self.files = {f.module: f for f in files if "@" not in f.module}
        self._parsed: dict[str, _Module] = {}

    # -- lookup ------------------------------------------------------------------------
    def find(self, qualname: str) -> Function:
        """The function named `qualname`, or an InputError with suggestions."""
        qualname = qualname.strip().replace(":", ".")
        if "<locals>" in qualname:
            raise InputError(
                f"{qualname}: a nested function cannot be imported by a test; "
                "anchor the function that defines it"
            )
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module in self.files:
                local = ".".join(parts[cut:])
                parsed = self.module(module)
                if parsed.error:
                    raise InputError(parsed.error, parsed.source.rel)
                if local in parsed.functions:
                    return self._function(parsed, local)
                first = local.split(".")[0]
                if "." in local and first not in parsed.classes:
                    raise InputError(
                        f"no module {module}.{first} and no class {first} in {module}"
                        + self._suggest(qualname),
                        parsed.source.rel,
                    )
                raise InputError(
                    f"no function {local!r} in module {module}"
                    + self._suggest(qualname, within=module),
                    parsed.source.rel,
                )
        where = ", ".join(self.project.settings.source_roots) or "the project root"
        raise InputError(
            f"no module of {qualname!r} among the scanned sources (source roots: {where})"
            + self._suggest(qualname)
        )

    def all_functions(self, module: str | None = None) -> list[str]:
        names: list[str] = []
        for name in sorted(self.files) if module is None else [module]:
            parsed = self.module(name)
            names.extend(
                f"{name}.{local}"
                for local in parsed.functions
                if not (local.rsplit(".", 1)[-1].startswith("__") and local.endswith("__"))
            )
        return names

    def async_functions(self) -> list[Function]:
        out = []
        for name in sorted(self.files):
            parsed = self.module(name)
            for local, (node, _classes) in parsed.functions.items():
                if isinstance(node, ast.AsyncFunctionDef):
                    out.append(self._function(parsed, local))
        return out

    def _suggest(self, qualname: str, within: str | None = None) -> str:
        candidates = self.all_functions(within) if within else self.all_functions()
        if within and not candidates:
            candidates = self.all_functions()
        last = qualname.rsplit(".", 1)[-1]
        same_name = [c for c in candidates if c.rsplit(".", 1)[-1] == last]
        close = difflib.get_close_matches(qualname, candidates, n=5, cutoff=0.6)
        ordered = list(dict.fromkeys([*close, *same_name]))[:5]
        if not ordered:
            return ""
        return "; did you mean " + ", ".join(ordered) + "?"

    # -- parsing -----------------------------------------------------------------------
    def module(self, name: str) -> _Module:
        if name in self._parsed:
            return self._parsed[name]
        source = self.files[name]
        try:
            text = decode_source(Path(source.path).read_bytes())
            tree = parse_source(text, source.rel)
            parsed = _Module(source, tree)
        except OSError as exc:
            parsed = _Module(source, None, f"cannot read: {exc.strerror or exc}")
        except SourceError as exc:
            where = f" (line {exc.line})" if exc.line else ""
            parsed = _Module(source, None, f"{exc.kind}: {exc}{where}")
        if parsed.tree is not None:
            _collect(parsed, parsed.tree.body, ())
            _imports(parsed, name)
        self._parsed[name] = parsed
        return parsed

    def _function(self, parsed: _Module, local: str) -> Function:
        node, classes = parsed.functions[local]
        decorators = {_dotted(d) for d in node.decorator_list}
        kind = "function"
        if classes:
            kind = "method"
            if "staticmethod" in decorators:
                kind = "staticmethod"
            elif "classmethod" in decorators:
                kind = "classmethod"
            elif "property" in decorators or any(d.endswith(".setter") for d in decorators if d):
                kind = "property"
        params = _params(node.args, drop_first=kind in ("method", "classmethod", "property"))
        constructor = None
        if kind in ("method", "property"):
            constructor = self.constructor(parsed, ".".join(classes))
        return Function(
            qualname=f"{parsed.source.module}.{local}",
            module=parsed.source.module,
            path=parsed.source.rel,
            line=node.lineno,
            class_path=classes,
            name=node.name,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            is_generator=_is_generator(node),
            kind=kind,
            params=params,
            constructor=constructor,
            long_running=_long_running(node, self.project.registry.long_running),
            statements=sum(isinstance(n, ast.stmt) for n in ast.walk(node)),
        )

    # -- constructors ------------------------------------------------------------------
    def constructor(self, parsed: _Module, class_local: str, depth: int = 0) -> Constructor:
        node = parsed.classes[class_local]
        own = f"{class_local}.__init__"
        if own in parsed.functions:
            init, _ = parsed.functions[own]
            return Constructor(_params(init.args, drop_first=True), f"{class_local}.__init__")
        decorators = {
            _dotted(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list
        }
        bases = [_dotted(b) for b in node.bases]
        is_fields = bool(decorators & DATACLASS_DECORATORS) or any(
            b and b.rsplit(".", 1)[-1] in FIELD_BASES for b in bases
        )
        inherited: tuple[Param, ...] = ()
        for base in bases:
            if not base or base in ("object", "Generic", "Protocol", "ABC", "abc.ABC"):
                continue
            found = self._resolve_class(parsed, base)
            if found is None:
                if is_fields and base.rsplit(".", 1)[-1] in FIELD_BASES:
                    continue
                return Constructor(None, f"inherited from {base}, which is outside the project")
            if depth > 8:
                return Constructor(None, f"inherited from {base} (too deep to follow)")
            other, other_local = found
            base_ctor = self.constructor(other, other_local, depth + 1)
            if not is_fields:
                return Constructor(base_ctor.params, base_ctor.origin)
            inherited = base_ctor.params or ()
            break
        if is_fields:
            own_fields = _fields(node)
            names = {p.name for p in own_fields}
            merged = tuple(p for p in inherited if p.name not in names) + own_fields
            return Constructor(merged, f"the fields of {class_local}")
        return Constructor((), f"{class_local}()")

    def _resolve_class(self, parsed: _Module, dotted: str) -> tuple[_Module, str] | None:
        """A class named `dotted` in `parsed`'s scope: defined there or imported (also
        through a package that re-exports it)."""
        if dotted in parsed.classes:
            return parsed, dotted
        head, _, rest = dotted.partition(".")
        target = parsed.imports.get(head)
        return self._resolve_qualified(f"{target}.{rest}" if rest else target) if target else None

    def _resolve_qualified(self, full: str, hops: int = 0) -> tuple[_Module, str] | None:
        parts = full.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module not in self.files:
                continue
            other = self.module(module)
            local = ".".join(parts[cut:])
            if local in other.classes:
                return other, local
            target = other.imports.get(parts[cut])
            if target and hops < 8:
                return self._resolve_qualified(".".join([target, *parts[cut + 1 :]]), hops + 1)
            return None
        return None


def _collect(parsed: _Module, body: list[ast.stmt], classes: tuple[str, ...]) -> None:
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            inner = (*classes, stmt.name)
            parsed.classes[".".join(inner)] = stmt
            _collect(parsed, stmt.body, inner)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parsed.functions.setdefault(".".join((*classes, stmt.name)), (stmt, classes))
        elif isinstance(stmt, (ast.If, ast.Try)) and not classes:
            # `if sys.version_info ...:` / `try: import x` blocks at module level
            for block in (getattr(stmt, "body", []), getattr(stmt, "orelse", [])):
                _collect(parsed, block, classes)


def _imports(parsed: _Module, module: str) -> None:
    assert parsed.tree is not None
    package = module if parsed.source.is_package else module.rpartition(".")[0]
    for stmt in parsed.tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    parsed.imports[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    parsed.imports[head] = head
        elif isinstance(stmt, ast.ImportFrom):
            base = stmt.module or ""
            if stmt.level:
                anchor = package.split(".") if package else []
                anchor = anchor[: len(anchor) - (stmt.level - 1)] if stmt.level > 1 else anchor
                base = ".".join([*anchor, *([stmt.module] if stmt.module else [])])
            for alias in stmt.names:
                if alias.name != "*":
                    parsed.imports[alias.asname or alias.name] = f"{base}.{alias.name}"


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Subscript):  # Generic[T], BaseModel[...]
        return _dotted(node.value)
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _text(node: ast.expr | None) -> str | None:
    return ast.unparse(node) if node is not None else None


def _params(args: ast.arguments, drop_first: bool) -> tuple[Param, ...]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(
        args.defaults
    )
    out: list[Param] = []
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        if drop_first and index == 0:
            continue
        kind = "positional-only" if index < len(args.posonlyargs) else "positional"
        out.append(Param(arg.arg, kind, _text(arg.annotation), _text(default)))
    if args.vararg:
        out.append(Param(args.vararg.arg, "var-positional", _text(args.vararg.annotation), None))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        out.append(Param(arg.arg, "keyword-only", _text(arg.annotation), _text(kw_default)))
    if args.kwarg:
        out.append(Param(args.kwarg.arg, "var-keyword", _text(args.kwarg.annotation), None))
    return tuple(out)


def _fields(node: ast.ClassDef) -> tuple[Param, ...]:
    """Dataclass / attrs / pydantic / NamedTuple fields, as keyword parameters."""
    out = []
    for stmt in node.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        annotation = _text(stmt.annotation) or ""
        if "ClassVar" in annotation:
            continue
        default = _text(stmt.value) if stmt.value is not None else None
        value = stmt.value
        if isinstance(value, ast.Call) and (_dotted(value.func) or "").rsplit(".", 1)[-1] in (
            "field", "Field", "attrib", "ib",
        ):  # fmt: skip
            keywords = {k.arg: k.value for k in value.keywords if k.arg}
            init = keywords.get("init")
            if isinstance(init, ast.Constant) and init.value is False:
                continue
            has_default = any(
                k in keywords for k in ("default", "default_factory", "factory")
            ) or bool(
                value.args
                and not (
                    isinstance(value.args[0], ast.Constant) and value.args[0].value is Ellipsis
                )
            )
            default = default if has_default else None
        out.append(Param(stmt.target.id, "keyword-only", annotation or None, default))
    return tuple(out)


def _is_generator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in _own_nodes(node))


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of this function, not of nested functions, lambdas or classes."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield child
        stack.extend(ast.iter_child_nodes(child))


def _long_running(node: ast.FunctionDef | ast.AsyncFunctionDef, waits: frozenset[str]) -> bool:
    """Looks like a server or a worker loop: not something an example test should call.
    `waits`: what such a loop waits in (the framework packs' `long_running`)."""
    if node.name.lstrip("_") in LONG_RUNNING_NAMES:
        return True
    for child in _own_nodes(node):
        if (
            isinstance(child, ast.While)
            and isinstance(child.test, ast.Constant)
            and child.test.value
        ):
            return True
        if isinstance(child, ast.Call):
            name = _dotted(child.func) or ""
            if name.rsplit(".", 1)[-1] in waits:
                return True
    return False


# -- arguments ----------------------------------------------------------------------------

PATHLIKE_ANNOTATION = re.compile(
    r"\b(Path|PurePath|PosixPath|PathLike|StrPath|StrOrBytesPath|AnyPath)\b"
)
PATH_NAME = re.compile(
    r"^(path|dir|directory|folder|root|cwd|workdir|workspace|workspaces|filename|dest|destination)$"
    r"|_(path|paths|dir|directory|folder|root|file|filename|workspace|workspaces)$"
)
DIR_NAME = re.compile(r"(^|_)(dir|directory|folder|root|cwd|workdir|workspace|workspaces)$")


def path_kind(param: Param) -> str | None:
    """How a parameter is path-like: "path" (a pathlib.Path), "str" (a path as a string),
    or None (it is not)."""
    annotation = param.annotation or ""
    if PATHLIKE_ANNOTATION.search(annotation):
        return "path"
    if PATH_NAME.search(param.name) and annotation.strip("'\"") in (
        "",
        "str",
        "str | None",
        "Optional[str]",
    ):
        return "str" if "str" in annotation else "path"
    return None


def is_directory(param: Param) -> bool:
    return bool(DIR_NAME.search(param.name))
