"""Which files to scan and the import name of each (source roots, packages, namespaces)."""

from __future__ import annotations

import errno
import glob as globmod
import os
import unicodedata
from pathlib import Path
from typing import NamedTuple

from blocking_io.shared_rules import ProjectConfig
from blocking_io.shared_rules.config import matches_any
from blocking_io.shared_rules.reports import ErrorEntry


class SourceFile(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    path: Path  # absolute
    rel: str  # relative to the project root, posix
    module: str
    is_package: bool


def _rel(project: ProjectConfig, path: Path) -> str:
    try:
        return project.relpath(path)
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return _link_rel(project, path)


def _join(rel_dir: str, name: str) -> str:
    return name if rel_dir == "." else f"{rel_dir}/{name}"


def _link_rel(project: ProjectConfig, path: Path) -> str:
    """The path of a symlink itself (its directory resolved, not the link)."""
    return _join(_rel(project, path.parent), path.name)


def escaped_name(name: str) -> str:
    """`name` as one printable line: bytes that are not UTF-8 (surrogate-escaped by the
    file system layer) as `\\xff`, control characters (a newline) as `\\n`, `\\x1b`."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) == "Cc" else ch
        for ch in text
    )


def _name_problem(name: str) -> str | None:
    """Why a path name cannot be scanned: it could not be a module name, and as text it
    could neither be encoded (reports, cache keys) nor printed on one line."""
    if name.isascii() and name.isprintable():  # the usual name, at a glance: no control
        return None
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; skipped (rename it to scan it)"
    controls = sorted({ch for ch in name if unicodedata.category(ch) == "Cc"})
    if controls:
        what = "a newline" if "\n" in controls else f"control character {escaped_name(controls[0])}"
        return f"file name contains {what}; skipped (rename it to scan it)"
    return None


def _bad_name(rel: str) -> ErrorEntry | None:
    problem = _name_problem(rel)
    if problem is None:
        return None
    return ErrorEntry(path=escaped_name(rel), kind="bad-file-name", message=problem)


def _dangling(path: Path) -> str | None:
    """Why the symlink `path` cannot be read (None when it leads to an existing file)."""
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        try:
            return f"broken symbolic link (to {os.readlink(path)})"
        except OSError:
            return "broken symbolic link"
    return None


def default_paths(project: ProjectConfig) -> list[Path]:
    """What `detect` scans with no paths: `include`, else the source roots, else the root."""
    settings = project.settings
    if settings.include:
        out: list[Path] = []
        for pattern in settings.include:
            if any(ch in pattern for ch in "*?["):
                out.extend(
                    Path(p)
                    for p in sorted(globmod.glob(str(project.root / pattern), recursive=True))
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


def _inferred_root(directory: Path, tops: tuple[Path, ...], packages: dict[Path, bool]) -> Path:
    """Where imports of a file in `directory` resolve from, by Python's own rules: a regular
    package (a folder with `__init__.py`) and every folder below it are packages (a folder
    without one there is an implicit namespace subpackage: `pkg/utils/x.py` is `pkg.utils.x`),
    so the root is the parent of the outermost regular package in the project. Above the
    project root only regular packages count (a scanned folder that is itself a package).
    No package around `directory`: a folder of scripts, the root itself."""

    def regular(folder: Path) -> bool:
        hit = packages.get(folder)
        if hit is None:
            hit = packages[folder] = (folder / "__init__.py").is_file()
        return hit

    outermost: Path | None = None
    top = next((t for t in tops if t == directory or t in directory.parents), None)
    if top is not None:
        current = directory
        while True:
            if regular(current):
                outermost = current
            if current == top:
                break
            current = current.parent
    elif regular(directory):
        outermost = directory
    if outermost is None:
        return directory
    root = outermost.parent
    while regular(root) and root.parent != root:
        root = root.parent
    return root


def module_name(
    path: Path,
    roots: list[Path],
    tops: tuple[Path, ...] = (),
    packages: dict[Path, bool] | None = None,
    folders: dict[Path, tuple[str, ...]] | None = None,
) -> tuple[str, bool]:
    """Import name of `path` (absolute) and whether it is a package `__init__`; `tops`: the
    project root (as given and resolved), `packages`: a cache of which folders are ones,
    `folders`: of each folder's path from the root its imports resolve from."""
    directory = path.parent
    prefix = folders.get(directory) if folders is not None else None
    if prefix is None:
        root = next((r for r in roots if r == directory or r in directory.parents), None)
        if root is None:
            root = _inferred_root(directory, tops, {} if packages is None else packages)
        prefix = directory.relative_to(root).parts
        if folders is not None:
            folders[directory] = prefix
    parts = [*prefix, path.with_suffix("").name]
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts) or path.parent.name, is_package


def discover(
    project: ProjectConfig, paths: list[Path] | None, walked: list[Path] | None = None
) -> tuple[list[SourceFile], list[ErrorEntry]]:
    """Python files under `paths` (or the configured defaults), excluding `exclude` globs.

    Explicitly named files are scanned even if an exclude pattern matches them (as in ruff).
    Symlinked directories are not followed (no loops); missing paths become errors.
    `walked` receives the paths looked at and every directory listed (a file added or
    removed there changes its mtime: the replay record of `detect` checks them).
    """
    errors: list[ErrorEntry] = []
    chosen = paths if paths else default_paths(project)
    found: dict[Path, str] = {}  # path -> its project-relative name
    patterns = project.settings.exclude + project.settings.extend_exclude
    for given in chosen:
        given = given if given.is_absolute() else Path.cwd() / given
        if walked is not None:
            walked.append(given)
        if not given.exists() and not given.is_symlink():
            errors.append(
                ErrorEntry(
                    path=_rel(project, given), kind="not-found", message="no such file or directory"
                )
            )
            continue
        if given.is_symlink() and (problem := _dangling(given)) is not None:
            errors.append(
                ErrorEntry(path=_link_rel(project, given), kind="unreadable", message=problem)
            )
            continue
        if given.is_file():
            if given.suffix in (".py", ".pyi") or paths:
                rel = _rel(project, given.resolve())
                if (bad := _bad_name(rel)) is not None:
                    errors.append(bad)
                else:
                    found[given.resolve()] = rel
            continue
        if not given.is_dir():
            errors.append(
                ErrorEntry(
                    path=_rel(project, given),
                    kind="unreadable",
                    message="not a regular file or directory",
                )
            )
            continue

        def walk_error(exc: OSError, top: Path = given) -> None:
            where = _rel(project, Path(exc.filename or top))
            errors.append(
                ErrorEntry(path=where, kind="unreadable", message=exc.strerror or str(exc))
            )

        for dirpath, dirnames, filenames in os.walk(given, onerror=walk_error):
            here = Path(dirpath)
            # one relpath per directory, not per file: outside the project root it resolves
            # every component (an lstat each), which dominated discovery of large trees
            here_rel = _rel(project, here)
            keep = []
            for name in sorted(dirnames):
                rel_dir = _join(here_rel, name) + "/"
                if matches_any(rel_dir, patterns):
                    continue
                if (bad := _bad_name(rel_dir[:-1])) is not None:
                    errors.append(bad)  # one line for the folder, not one per file in it
                    continue
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file = here / name
                if file.is_symlink():
                    # a broken link or a loop is named by the link, not by what it points to
                    problem = _dangling(file)
                    if problem is not None:
                        link = _link_rel(project, file)
                        if not matches_any(link, patterns):
                            errors.append(ErrorEntry(path=link, kind="unreadable", message=problem))
                        continue
                if file.is_symlink():
                    file = file.resolve()
                    rel = _rel(project, file)
                else:
                    file, rel = file.absolute(), _join(here_rel, name)
                if matches_any(rel, patterns):
                    continue
                if (bad := _bad_name(rel)) is not None:
                    errors.append(bad)
                    continue
                found[file] = rel
    roots = source_roots(project)
    tops = (project.root, project.root.resolve())
    packages: dict[Path, bool] = {}
    folders: dict[Path, tuple[str, ...]] = {}
    named = [
        (path, rel, *module_name(path, roots, tops, packages, folders))
        for path, rel in sorted(found.items(), key=lambda item: item[1])
    ]
    # Python's precedence where two files claim one import name: a package `x/` shadows a
    # module `x.py` beside it; otherwise (scripts with the same name in different folders)
    # the first by path keeps it. The others cannot be imported by that name: keep them,
    # under a name nothing imports.
    owner: dict[str, str] = {}
    for _path, rel, module, _package in sorted(named, key=lambda n: (not n[3], n[1])):
        owner.setdefault(module, rel)
    files: list[SourceFile] = []
    for path, rel, module, is_package in named:
        if owner[module] != rel:
            module = f"{module}@{rel}"
        files.append(SourceFile(path=path, rel=rel, module=module, is_package=is_package))
    for error in errors:  # a dangling link, a missing path: named printably too
        error.path = escaped_name(error.path)
    unique = {(e.path, e.line, e.kind, e.message): e for e in errors}  # a path given twice
    return files, list(unique.values())
