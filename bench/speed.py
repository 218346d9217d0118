"""Speed: blocking-io, hydroid-cli, ruff and flake8-async on the same trees; wall time cold
and warm, one edited file in a warm cache, peak memory (largest process, and summed over
the process tree); each a median of `runs` runs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from .detector import DetectRun, detector_missing, run_detect
from .measure import median
from .peers import (
    PeerRun,
    bare_python,
    flake8_missing,
    hydroid_missing,
    ruff_missing,
    run_flake8,
    run_hydroid,
    run_ruff,
)
from .targets import Tree

TOOLS = ("blocking-io", "hydroid", "ruff", "flake8-async")
REPEAT_LIMIT = 60.0  # a series whose first run takes longer than this is measured once


def _series(once: Callable[[], float | None], runs: int, into: list[float]) -> bool:
    """Run `once` up to `runs` times (once if the first run is slow); False on failure."""
    for index in range(runs):
        seconds = once()
        if seconds is None:
            return False
        into.append(seconds)
        if index == 0 and seconds > REPEAT_LIMIT:
            break
    return True


@dataclass
class ToolSpeed:
    tool: str
    missing: str | None = None  # why it did not run
    error: str | None = None  # why a run failed
    findings: int = 0
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    edit: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    sum_kib: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.missing is None and self.error is None and bool(self.cold)

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "missing": self.missing,
            "error": self.error,
            "findings": self.findings,
            "cold": self.cold,
            "warm": self.warm,
            "edit": self.edit,
            "rss_kib": self.rss_kib,
            "cold_median": median(self.cold) if self.cold else None,
            "warm_median": median(self.warm) if self.warm else None,
            "edit_median": median(self.edit) if self.edit else None,
            "peak_mib": max(self.rss_kib) / 1024 if self.rss_kib else None,
            "sum_kib": self.sum_kib,
            "peak_sum_mib": max(self.sum_kib) / 1024 if self.sum_kib else None,
        }


@dataclass
class TargetSpeed:
    name: str
    kind: str
    files: int
    lines: int
    edited: str | None
    error: str | None
    tools: dict[str, ToolSpeed]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "files": self.files,
            "lines": self.lines,
            "edited": self.edited,
            "error": self.error,
            "tools": {name: t.as_dict() for name, t in self.tools.items()},
        }


def write_config(root: Path) -> Path:
    """blocking-io config for a bench tree: scan everything, report dir inside the tree."""
    document = tomlkit.document()
    document.add("tool", {"blocking-io": {"exclude": []}})
    path = root / "pyproject.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


def _edited_series(
    path: Path, warm: Callable[[], float | None], runs: int, into: list[float]
) -> None:
    """Warm runs, each after appending a fresh comment to `path`; the file is restored."""
    edit = _Edit(path)

    def edited() -> float | None:
        edit()
        return warm()

    try:
        _series(edited, runs, into)
    finally:
        edit.restore()


class _Edit:
    """Appends a comment to one file per call; restores the original bytes at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"\n# bench edit {self.count}\n".encode())

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def _bio(tree: Tree, runs: int, timeout: float) -> ToolSpeed:
    result = ToolSpeed("blocking-io", missing=detector_missing())
    if result.missing:
        return result
    root = tree.root
    assert root is not None
    write_config(root)
    shutil.rmtree(root / ".blocking-io", ignore_errors=True)

    def run(extra: Sequence[str] = ()) -> DetectRun | None:
        outcome = run_detect(root, extra=extra, timeout=timeout)
        if outcome.error:
            result.error = outcome.error
            return None
        result.rss_kib.append(outcome.max_rss_kib)
        result.sum_kib.append(outcome.sum_rss_kib)
        return outcome

    def cold() -> float | None:
        outcome = run(["--no-cache"])
        if outcome is None or outcome.report is None:
            return None
        result.findings = sum(1 for f in outcome.report.findings if f.suppressed is None)
        return outcome.seconds

    def warm() -> float | None:
        outcome = run()
        return None if outcome is None else outcome.seconds

    if not _series(cold, runs, result.cold) or warm() is None:  # the extra run fills the cache
        return result
    if not _series(warm, runs, result.warm):
        return result
    _edited_series(root / tree.largest, warm, runs, result.edit)
    return result


def _peer(
    tool: str,
    missing: str | None,
    runner: Callable[..., PeerRun],
    tree: Tree,
    runs: int,
    timeout: float,
    cache_dir: Path | None = None,
) -> ToolSpeed:
    result = ToolSpeed(tool, missing=missing)
    if missing:
        return result
    root = tree.root
    assert root is not None

    def once(**kwargs: object) -> PeerRun | None:
        outcome = runner(root, timeout=timeout, **kwargs)
        if outcome.error:
            result.error = outcome.error
            return None
        result.rss_kib.append(outcome.max_rss_kib)
        result.sum_kib.append(outcome.sum_rss_kib)
        return outcome

    def cold() -> float | None:
        outcome = once()
        if outcome is None:
            return None
        result.findings = sum(1 for r in outcome.reports if r.scored)
        return outcome.seconds

    def warm() -> float | None:
        outcome = once(cache_dir=cache_dir)
        return None if outcome is None else outcome.seconds

    if not _series(cold, runs, result.cold) or cache_dir is None:
        return result
    shutil.rmtree(cache_dir, ignore_errors=True)
    if warm() is None or not _series(warm, runs, result.warm):  # the extra run fills the cache
        return result
    _edited_series(root / tree.largest, warm, runs, result.edit)
    return result


def _hydroid(tree: Tree, runs: int, timeout: float, work: Path) -> ToolSpeed:
    """hydroid-cli: cold with --no-cache, warm and edited with its fact cache in the tree."""
    result = ToolSpeed("hydroid", missing=hydroid_missing())
    if result.missing:
        return result
    root = tree.root
    assert root is not None
    python = bare_python(work)

    def once(cache: bool) -> float | None:
        outcome = run_hydroid(root, python=python, cache=cache, timeout=timeout)
        if outcome.error:
            result.error = outcome.error
            return None
        result.rss_kib.append(outcome.max_rss_kib)
        result.sum_kib.append(outcome.sum_rss_kib)
        result.findings = len(outcome.reports)
        return outcome.seconds

    if not _series(lambda: once(False), runs, result.cold):
        return result
    shutil.rmtree(root / ".hydroid_cache", ignore_errors=True)
    warm = lambda: once(True)  # noqa: E731
    if warm() is None or not _series(warm, runs, result.warm):  # the extra run fills the cache
        return result
    _edited_series(root / tree.largest, warm, runs, result.edit)
    return result


def measure_tree(
    tree: Tree, runs: int, work: Path, timeout: float, only: Sequence[str] = ()
) -> TargetSpeed:
    """Every tool of TOOLS (or those in `only`) on the tree, one after the other."""
    target = tree.target
    if tree.error or tree.root is None:
        return TargetSpeed(target.name, target.kind, 0, 0, None, tree.error, {})
    timers: dict[str, Callable[[], ToolSpeed]] = {
        "blocking-io": lambda: _bio(tree, runs, timeout),
        "hydroid": lambda: _hydroid(tree, runs, timeout, work),
        "ruff": lambda: _peer(
            "ruff", ruff_missing(), run_ruff, tree, runs, timeout, work / "ruff-cache" / target.name
        ),
        "flake8-async": lambda: _peer(
            "flake8-async", flake8_missing(), run_flake8, tree, runs, timeout
        ),
    }
    unknown = set(only) - set(timers)
    if unknown:
        raise SystemExit(f"python -m bench: error: unknown tool(s): {', '.join(sorted(unknown))}")
    tools = {name: timer() for name, timer in timers.items() if not only or name in only}
    return TargetSpeed(
        target.name, target.kind, len(tree.files), tree.lines, tree.largest, None, tools
    )
