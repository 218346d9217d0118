"""Where a project's own code lives: source roots and top-level packages, found on disk.

Covers the layouts teams use: `src/` (packages or PEP 420 namespace directories under it),
flat (packages at the top level, or single modules), and several packages side by side or
in sub-projects (`libs/core/src/core`, `services/api/api`). Nothing is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from blocking_io.shared_rules.config import DEFAULT_EXCLUDE, matches_any

# Directories that hold no importable project code (or code that is not the service's own).
SKIP_DIRS = frozenset(
    {
        "tests", "test", "testing", "docs", "doc", "examples", "example", "samples",
        "scripts", "bin", "tools", "benchmarks", "bench", "build", "dist", "site-packages",
        "node_modules", "vendor", "third_party", "venv", "env", "htmlcov", "__pycache__",
        "migrations", "alembic",
    }
)  # fmt: skip
# Top-level scripts that are tooling, not the service.
SKIP_MODULES = frozenset(
    {"setup.py", "conftest.py", "noxfile.py", "tasks.py", "fabfile.py", "manage.py", "dodo.py"}
)
MAX_DEPTH = 4  # how deep sub-projects may sit (services/api/src/api is depth 3)


@dataclass
class Layout:
    """What `init` writes: source roots (posix, relative to the project root), the
    top-level import names under them, and, for a flat layout, what `detect` should scan."""

    source_roots: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)  # top-level import names
    include: list[str] = field(default_factory=list)  # only for a "." source root
    kind: str = "none"  # src | flat | several | none

    def describe(self) -> str:
        roots = ", ".join(self.source_roots) or "-"
        names = ", ".join(self.packages) or "-"
        return f"{self.kind} layout; source roots: {roots}; packages: {names}"


def _skipped(name: str) -> bool:
    return name.startswith((".", "_")) or name in SKIP_DIRS or name.endswith(".egg-info")


def _excluded(rel: str) -> bool:
    return matches_any(rel.rstrip("/") + "/", DEFAULT_EXCLUDE)


def _subdirs(directory: Path, *, in_src: bool = False) -> list[Path]:
    """Candidate package directories. Under `src/` every name counts (`src/tools` is a
    package there), except tests and private or hidden directories."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return []
    out = []
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False) or not entry.name.isidentifier():
            continue
        if in_src:
            if entry.name.startswith((".", "_")) or entry.name in ("tests", "test"):
                continue
        elif _skipped(entry.name):
            continue
        out.append(Path(entry.path))
    return out


def _modules(directory: Path) -> list[str]:
    """Single-module code at a source root: `service.py` (not tooling, not tests)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [
        name[:-3]
        for name in names
        if name.endswith(".py")
        and name not in SKIP_MODULES
        and name[:-3].isidentifier()
        and not name.startswith(("test_", "_"))
        and not name.endswith("_test.py")
        and (directory / name).is_file()
    ]


def _has_python(directory: Path) -> bool:
    for _dirpath, _dirnames, filenames in os.walk(directory):
        if any(f.endswith(".py") for f in filenames):
            return True
    return False


def _is_package(directory: Path) -> bool:
    return (directory / "__init__.py").is_file()


def detect_layout(root: Path) -> Layout:
    root = root.resolve()
    src = root / "src"
    if src.is_dir():
        # under src/ every directory with Python code is a package, __init__.py or not
        names = [d.name for d in _subdirs(src, in_src=True) if _is_package(d) or _has_python(d)]
        names += _modules(src)
        if names:
            return Layout(["src"], sorted(dict.fromkeys(names)), [], "src")
    top = [d.name for d in _subdirs(root) if _is_package(d)]
    if top:
        include = sorted(top)
        return Layout(["."], include, include, "flat")
    found: dict[str, list[str]] = {}  # source root -> packages
    _walk(root, root, 1, found)
    if found:
        roots = sorted(found)
        packages: list[str] = []
        for source_root in roots:
            packages.extend(p for p in found[source_root] if p not in packages)
        return Layout(roots, sorted(packages), [], "several")
    modules = _modules(root)
    if modules:
        files = [f"{m}.py" for m in modules]
        return Layout(["."], modules, files, "flat")
    return Layout()


def _walk(root: Path, directory: Path, depth: int, found: dict[str, list[str]]) -> None:
    """Sub-projects: a directory with __init__.py whose parent has none makes the parent a
    source root (`libs/core/src` for `libs/core/src/core/__init__.py`). A `src/` directory
    of a sub-project counts as a source root even for namespace packages."""
    if depth > MAX_DEPTH:
        return
    for child in _subdirs(directory):
        rel = child.relative_to(root).as_posix()
        if _excluded(rel):
            continue
        if _is_package(child):
            found.setdefault(directory.relative_to(root).as_posix(), []).append(child.name)
            continue  # a package's own sub-packages are not roots
        if child.name == "src" and depth > 1:
            names = [d.name for d in _subdirs(child, in_src=True) if _has_python(d)]
            names += _modules(child)
            if names:
                found.setdefault(rel, []).extend(names)
                continue
        _walk(root, child, depth + 1, found)
