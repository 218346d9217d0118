"""Which files to scan and the import name of each (source roots, packages, namespaces)."""

from __future__ import annotations

import glob as globmod
import os
from dataclasses import dataclass
from pathlib import Path

from shared_rules import ProjectConfig
from shared_rules.config import matches_any
from shared_rules.reports import ErrorEntry


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # relative to the project root, posix
    module: str
    is_package: bool


def _rel(project: ProjectConfig, path: Path) -> str:
    return project.relpath(path)


def default_paths(project: ProjectConfig) -> list[Path]:
    """What `detect` scans with no paths: `include`, else the source roots, else the root."""
    settings = project.settings
    if settings.include:
        out: list[Path] = []
        for pattern in settings.include:
            if any(ch in pattern for ch in "*?["):
                out.extend(
                    Path(p) for p in sorted(globmod.glob(str(project.root / pattern), recursive=True))
                )
            else:
                out.append(project.root / pattern)
        return out
    if settings.source_roots:
        return [project.root / r for r in settings.source_roots]
    return [project.root]


def source_roots(project: ProjectConfig) -> list[Path]:
    return sorted(
        ((project.root / r).resolve() for r in project.settings.source_roots),
        key=lambda p: len(p.parts),
        reverse=True,
    )


def _inferred_root(directory: Path) -> Path:
    """The nearest ancestor that is not a regular package (has no __init__.py)."""
    current = directory
    while (current / "__init__.py").is_file() and current.parent != current:
        current = current.parent
    return current


def module_name(path: Path, roots: list[Path]) -> tuple[str, bool]:
    """Import name of `path` (absolute, resolved) and whether it is a package `__init__`."""
    directory = path.parent
    root = next((r for r in roots if r == directory or r in directory.parents), None)
    if root is None:
        root = _inferred_root(directory)
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts) or path.parent.name, is_package


def discover(
    project: ProjectConfig, paths: list[Path] | None
) -> tuple[list[SourceFile], list[ErrorEntry]]:
    """Python files under `paths` (or the configured defaults), excluding `exclude` globs.

    Explicitly named files are scanned even if an exclude pattern matches them (as in ruff).
    Symlinked directories are not followed (no loops); missing paths become errors.
    """
    errors: list[ErrorEntry] = []
    chosen = paths if paths else default_paths(project)
    found: dict[Path, None] = {}
    patterns = project.settings.exclude + project.settings.extend_exclude
    for given in chosen:
        given = given if given.is_absolute() else Path.cwd() / given
        if not given.exists() and not given.is_symlink():
            errors.append(ErrorEntry(path=_rel(project, given), kind="not-found", message="no such file or directory"))
            continue
        if given.is_file():
            if given.suffix in (".py", ".pyi") or paths:
                found[given.resolve()] = None
            continue
        if not given.is_dir():
            errors.append(ErrorEntry(path=_rel(project, given), kind="unreadable", message="not a regular file or directory"))
            continue
        for dirpath, dirnames, filenames in os.walk(given, onerror=lambda e: errors.append(
            ErrorEntry(path=_rel(project, Path(e.filename or given)), kind="unreadable",
                       message=e.strerror or str(e)))):  # fmt: skip
            here = Path(dirpath)
            keep = []
            for name in sorted(dirnames):
                rel_dir = _rel(project, here / name) + "/"
                if not matches_any(rel_dir, patterns):
                    keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file = here / name
                rel = _rel(project, file)
                if matches_any(rel, patterns):
                    continue
                if file.is_symlink() and not file.exists():
                    errors.append(ErrorEntry(path=rel, kind="unreadable", message="broken symbolic link"))
                    continue
                found[file.resolve() if file.is_symlink() else file.absolute()] = None
    roots = source_roots(project)
    files: list[SourceFile] = []
    seen_modules: dict[str, str] = {}
    for path in sorted(found, key=lambda p: _rel(project, p)):
        module, is_package = module_name(path, roots)
        rel = _rel(project, path)
        if module in seen_modules:
            # two files claim one import name (scripts with the same name in different
            # directories): keep both, but neither can be imported as the other
            module = f"{module}@{rel}"
        seen_modules[module] = rel
        files.append(SourceFile(path=path, rel=rel, module=module, is_package=is_package))
    return files, errors
