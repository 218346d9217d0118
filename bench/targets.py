"""The code bases of the speed benchmark: pinned in targets.toml, fetched with pip, laid out
as plain trees of .py files that every tool scans identically."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from blocking_io.shared_rules import tomlio

TARGETS_FILE = Path(__file__).resolve().parent / "targets.toml"
WORK_DIR = Path(__file__).resolve().parent / ".work"


@dataclass(frozen=True)
class Target:
    name: str
    kind: str
    requirement: str | None = None  # a pinned PyPI requirement; None: a local directory
    source: Path | None = None  # local directory (stdlib, corpus)
    skip_dirs: tuple[str, ...] = ()
    no_binary: bool = False  # the sdist, not a wheel (it has more of the code base)
    large: bool = False  # measured only with --large (make bench BENCH_LARGE=1)


@dataclass
class Tree:
    """A prepared target: its directory, files and line count, or why it is unavailable."""

    target: Target
    root: Path | None = None
    files: list[str] = field(default_factory=list)  # posix paths relative to root
    lines: int = 0
    error: str | None = None

    @property
    def largest(self) -> str:
        assert self.root is not None
        return max(self.files, key=lambda rel: ((self.root / rel).stat().st_size, rel))  # type: ignore[operator]


def load_targets(
    path: Path = TARGETS_FILE, *, large: bool = False
) -> tuple[list[Target], tuple[str, ...]]:
    """Pinned targets plus the stdlib target (and with `large` the large ones); and the
    directory names skipped everywhere."""
    data = tomlio.load(path)
    skip = tuple(data.get("skip-dirs", ()))
    targets = [
        Target(
            item["name"],
            item.get("kind", ""),
            requirement=item["requirement"],
            skip_dirs=tuple(item.get("skip-dirs", ())),
            no_binary=bool(item.get("no-binary", False)),
            large=bool(item.get("large", False)),
        )
        for item in data.get("target", [])
        if large or not item.get("large", False)
    ]
    std = data.get("stdlib")
    if std:
        targets.append(
            Target(
                std.get("name", "stdlib"),
                std.get("kind", ""),
                source=Path(sysconfig.get_paths()["stdlib"]),
                skip_dirs=tuple(std.get("skip-dirs", ())),
            )
        )
    return targets, skip


def _download(
    requirement: str, downloads: Path, timeout: float, *, no_binary: bool = False
) -> Path:
    downloads.mkdir(parents=True, exist_ok=True)
    name, _, version = requirement.partition("==")
    stem = f"{name.replace('-', '_').lower()}-{version}"
    existing = _find_archive(downloads, stem, no_binary=no_binary)
    if existing:
        return existing
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "--quiet",
            "--dest",
            str(downloads),
            *(["--no-binary", name] if no_binary else []),
            requirement,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    found = _find_archive(downloads, stem, no_binary=no_binary)
    if proc.returncode != 0 or found is None:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        raise RuntimeError(
            f"pip download {requirement} failed: {lines[-1] if lines else 'no file'}"
        )
    return found


def _find_archive(downloads: Path, stem: str, *, no_binary: bool = False) -> Path | None:
    for candidate in sorted(downloads.iterdir()):
        lowered = candidate.name.lower()
        if lowered.startswith(stem) and lowered.endswith((".whl", ".tar.gz", ".zip")):
            if no_binary and lowered.endswith(".whl"):
                continue
            return candidate
    return None


def _unpack(archive: Path, dest: Path) -> Path:
    if dest.is_dir():
        return dest
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(partial)
    else:
        with tarfile.open(archive) as tf:
            if hasattr(tarfile, "data_filter"):
                tf.extractall(partial, filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tf.extractall(partial)
    partial.rename(dest)
    return dest


def python_files(source: Path, skip_dirs: Iterable[str]) -> list[str]:
    """*.py under source, sorted, skipping hidden directories and the `skip_dirs` names."""
    skip = set(skip_dirs)
    found = []
    for path in source.rglob("*.py"):
        rel = path.relative_to(source)
        if any(part in skip or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if path.is_file():
            found.append(rel.as_posix())
    return sorted(found)


def build_tree(target: Target, source: Path, trees: Path, skip_dirs: Sequence[str]) -> Tree:
    """Copy the target's .py files into trees/<name>/ (a fresh copy each run)."""
    root = trees / target.name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    files = python_files(source, (*skip_dirs, *target.skip_dirs))
    lines = 0
    for rel in files:
        data = (source / rel).read_bytes()
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        lines += data.count(b"\n")
    return Tree(target, root, files, lines)


def prepare(
    targets: Sequence[Target], work: Path, skip_dirs: Sequence[str], timeout: float = 600
) -> list[Tree]:
    trees = []
    for target in targets:
        try:
            if target.source is not None:
                source = target.source
            else:
                assert target.requirement is not None
                archive = _download(
                    target.requirement, work / "downloads", timeout, no_binary=target.no_binary
                )
                source = _unpack(archive, work / "unpacked" / archive.name)
            trees.append(build_tree(target, source, work / "trees", skip_dirs))
        except (RuntimeError, OSError, subprocess.TimeoutExpired, zipfile.BadZipFile) as exc:
            trees.append(Tree(target, error=str(exc).splitlines()[0]))
        except tarfile.TarError as exc:
            trees.append(Tree(target, error=f"cannot unpack: {exc}"))
    return trees
