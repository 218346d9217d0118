"""Anchor lint: static checks that runtime anchors can actually catch a regression.

An anchor protects nothing if it moves the production call off the loop itself, patches the
offload machinery or the gate, opts out without saying why, or never touches the project's
code. These are visible in the test source, so they are checked without running anything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from blocking_io.shared_rules import ApiSpec, ProjectConfig, Registry

# code -> (severity, what it means)
CHECKS = {
    "BIOA01": ("error", "calls production code through a thread offload itself: the gate never sees it on the loop"),
    "BIOA02": ("error", "patches the offload machinery or the gate: reverting an offload cannot turn it red"),
    "BIOA03": ("error", "`allow_blocking_io` without a reason"),
    "BIOA04": ("error", "imports no scanned module: it cannot exercise the project's code"),
    "BIOA05": ("warning", "replaces a blocking primitive: offloads of it that this anchor runs have no teeth"),
}  # fmt: skip

GATE_PACKAGES = ("blocking_io.runtime_gate", "blockbuster")
PATCHERS = {"setattr", "patch", "object", "setitem"}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int  # 1-based, as in findings.json, the text output and editors
    code: str
    detail: str

    @property
    def severity(self) -> str:
        return CHECKS[self.code][0]

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} [{self.severity}] {self.detail}"


class _Imports:
    """Local names -> dotted targets, for one test module."""

    def __init__(self, tree: ast.Module) -> None:
        self.names: dict[str, str] = {}
        self.modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.modules.add(alias.name)
                    local = alias.asname or alias.name.split(".")[0]
                    self.names[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                self.modules.add(node.module)
                for alias in node.names:
                    self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def dotted(self, node: ast.expr) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.names.get(node.id, node.id)
        return ".".join([head, *reversed(parts)])


def _scanned(name: str | None, scanned: tuple[str, ...]) -> bool:
    return bool(name) and any(name == s or name.startswith(s + ".") for s in scanned)  # type: ignore[union-attr]


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def lint_file(
    path: Path, rel: str, project: ProjectConfig, fixtures_import_scanned: bool = False
) -> Iterator[Problem]:
    """Problems of one anchor file. `fixtures_import_scanned`: a conftest.py above it imports
    a scanned module (its fixtures can drive the project's code)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError, OSError) as exc:
        raise ValueError(f"{rel}: cannot parse: {exc}") from None
    scanned = project.settings.scanned_modules
    registry: Registry = project.registry
    imports = _Imports(tree)
    canonical = registry.types.canonical
    offloads = {canonical(a.symbol): a for a in registry.offloads}
    offloads_by_name = {a.method_name: a for a in registry.offloads if a.by_name}
    wrappers = {name.partition(":")[0] for name in project.settings.offload_functions}

    if (
        scanned
        and not fixtures_import_scanned
        and not any(_scanned(m, scanned) for m in imports.modules)
    ):
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")
               for n in tree.body):  # fmt: skip
            yield Problem(rel, 1, 1, "BIOA04", f"imports none of {', '.join(scanned)}")

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = imports.dotted(node.func)
        name = node.func.attr if isinstance(node.func, ast.Attribute) else callee
        # BIOA01: the anchor hands production code to a thread
        spec = offloads.get(canonical(callee)) if callee else None
        spec = spec or offloads_by_name.get(name or "")
        if spec is not None:
            argument = _argument(node, spec)
            target = imports.dotted(argument) if argument is not None else None
            if _scanned(target, scanned):
                yield Problem(
                    rel,
                    node.lineno,
                    node.col_offset + 1,
                    "BIOA01",
                    f"`{target}` is run in a worker thread by the anchor",
                )
        # BIOA02 / BIOA05: monkeypatch.setattr(...), mock.patch(...), mock.patch.object(...)
        if name in PATCHERS:
            patched = _patched_target(node, imports)
            if patched:
                if (
                    canonical(patched) in offloads
                    or patched in wrappers
                    or patched.startswith(GATE_PACKAGES)
                ):
                    yield Problem(
                        rel, node.lineno, node.col_offset + 1, "BIOA02", f"patches `{patched}`"
                    )
                elif registry.match(patched) is not None:
                    rule = registry.match(patched).rule  # type: ignore[union-attr]
                    yield Problem(
                        rel,
                        node.lineno,
                        node.col_offset + 1,
                        "BIOA05",
                        f"patches `{patched}` ({rule.id} {rule.name})",
                    )
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if id(node) in called:
            continue  # seen as part of its call (with the arguments that give the reason)
        marker = node.func if isinstance(node, ast.Call) else node
        dotted = imports.dotted(marker) if isinstance(marker, (ast.Attribute, ast.Name)) else None
        if dotted and dotted.endswith("mark.allow_blocking_io"):
            reason: str | None = None
            if isinstance(node, ast.Call):
                reason = next((_string(k.value) for k in node.keywords if k.arg == "reason"), None)
                reason = reason or (_string(node.args[0]) if node.args else None)
            if not (reason and reason.strip()):
                yield Problem(
                    rel,
                    getattr(node, "lineno", 1),
                    getattr(node, "col_offset", 0) + 1,
                    "BIOA03",
                    'give `reason="..."`: why may this anchor block the loop?',
                )


def _argument(node: ast.Call, spec: ApiSpec) -> ast.expr | None:
    """The callable an offload call runs: its `func_kwarg` keyword or `func_arg` position."""
    for keyword in node.keywords:
        if keyword.arg in spec.func_kwarg:
            return keyword.value
    if spec.func_arg is not None and spec.func_arg < len(node.args):
        return node.args[spec.func_arg]
    return None


def _patched_target(node: ast.Call, imports: _Imports) -> str | None:
    """`monkeypatch.setattr(asyncio, "to_thread", f)` / `setattr("asyncio.to_thread", f)` /
    `mock.patch("asyncio.to_thread")` / `mock.patch.object(shutil, "make_archive")`."""
    args = node.args
    if not args:
        return None
    first = _string(args[0])
    if first is not None:
        return first
    if len(args) >= 2 and _string(args[1]) is not None:
        owner = imports.dotted(args[0])
        if owner:
            return f"{owner}.{_string(args[1])}"
    return None


def lint_anchors(project: ProjectConfig, paths: list[Path] | None = None) -> list[Problem]:
    roots = paths or [project.root / p for p in project.settings.anchor_paths]
    problems: list[Problem] = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for file in files:
            if file.name == "conftest.py" or file.name.startswith("__"):
                continue
            via_fixtures = _conftest_imports_scanned(file, project)
            problems.extend(lint_file(file, project.relpath(file), project, via_fixtures))
    return sorted(set(problems))


def _conftest_imports_scanned(file: Path, project: ProjectConfig) -> bool:
    root = project.root.resolve()
    for directory in file.resolve().parents:
        conftest = directory / "conftest.py"
        if conftest.is_file():
            try:
                modules = _Imports(ast.parse(conftest.read_bytes())).modules
            except (SyntaxError, ValueError, OSError):
                modules = set()
            if any(_scanned(m, project.settings.scanned_modules) for m in modules):
                return True
        if directory == root:
            break
    return False
