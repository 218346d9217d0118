"""Speed: blocking-io, hydroid-cli, ruff and flake8-async on the same trees; wall time cold
and warm, one edited file in a warm cache, peak memory (largest process, and summed over
the process tree); each a median of `runs` runs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from .detector import DetectRun, detector_missing, installed_command, run_detect
from .measure import median
from .peers import (
    HYDROID_EXCLUDES,
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
    """blocking-io config for a bench tree: scan everything, report dir inside the tree;
    not the two tools' caches (hydroid is given the same excludes: HYDROID_EXCLUDES)."""
    document = tomlkit.document()
    document.add("tool", {"blocking-io": {"exclude": list(HYDROID_EXCLUDES)}})
    path = root / "pyproject.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


class _Edit:
    """Appends a function to one file per call (a code edit: a comment alone leaves
    blocking-io's summary of the module as it was, which its re-run notices and reuses);
    restores the original bytes at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        edit = f"\n\ndef _bench_edit_{self.count}():\n    return {self.count}\n"
        self.path.write_bytes(self.original + edit.encode())

    def restore(self) -> None:
        self.path.write_bytes(self.original)


@dataclass
class _Timer:
    """One tool's runs on one tree: `cold` without a cache; `warm` with its cache (None: the
    tool has none); `reset` empties that cache. Each returns the seconds, None on failure
    (then `result.error` says why)."""

    result: ToolSpeed
    cold: Callable[[], float | None]
    warm: Callable[[], float | None] | None = None
    reset: Callable[[], None] = lambda: None


def _bio(tree: Tree, timeout: float, work: Path, installed: bool) -> _Timer:
    """blocking-io installed from a wheel (`installed_command`), with the same empty
    environment as hydroid (`--python`): the cost of following installed libraries is the
    dependencies section's, not this one's."""
    result = ToolSpeed("blocking-io", missing=detector_missing())
    root = tree.root
    assert root is not None
    python = ["--python", str(bare_python(work))]
    program = installed_command(work) if installed and not result.missing else []

    def run(extra: Sequence[str] = ()) -> DetectRun | None:
        outcome = run_detect(root, extra=[*python, *extra], timeout=timeout, program=program)
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

    def reset() -> None:
        shutil.rmtree(root / ".blocking-io", ignore_errors=True)

    if not result.missing:
        write_config(root)
        reset()
    return _Timer(result, cold, warm, reset)


def _peer(
    tool: str,
    missing: str | None,
    runner: Callable[..., PeerRun],
    tree: Tree,
    timeout: float,
    cache_dir: Path | None = None,
) -> _Timer:
    result = ToolSpeed(tool, missing=missing)
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

    def reset() -> None:
        if cache_dir is not None:
            shutil.rmtree(cache_dir, ignore_errors=True)

    return _Timer(result, cold, warm if cache_dir is not None else None, reset)


def _hydroid(tree: Tree, timeout: float, work: Path) -> _Timer:
    """hydroid-cli: cold with --no-cache, warm and edited with its fact cache in the tree."""
    result = ToolSpeed("hydroid", missing=hydroid_missing())
    root = tree.root
    assert root is not None
    python = bare_python(work) if not result.missing else work

    def once(cache: bool) -> float | None:
        outcome = run_hydroid(root, python=python, cache=cache, timeout=timeout)
        if outcome.error:
            result.error = outcome.error
            return None
        result.rss_kib.append(outcome.max_rss_kib)
        result.sum_kib.append(outcome.sum_rss_kib)
        result.findings = len(outcome.reports)
        return outcome.seconds

    def reset() -> None:
        shutil.rmtree(root / ".hydroid_cache", ignore_errors=True)

    if not result.missing:
        reset()
    return _Timer(result, lambda: once(False), lambda: once(True), reset)


def _interleaved(
    timers: Sequence[_Timer],
    runs: int,
    phase: Callable[[_Timer], Callable[[], float | None] | None],
    series: Callable[[ToolSpeed], list[float]],
    before_round: Callable[[], None] = lambda: None,
) -> None:
    """`runs` rounds; in each, every tool still running is run once, in turn, so the load
    of the machine (other processes, heat) falls on all tools alike. A tool whose first run
    takes over REPEAT_LIMIT is measured once; a tool whose run fails stops."""
    for index in range(runs):
        due = [
            t
            for t in timers
            if t.result.error is None
            and phase(t) is not None
            and not (index and series(t.result) and series(t.result)[0] > REPEAT_LIMIT)
        ]
        if not due:
            return
        before_round()
        for timer in due:
            call = phase(timer)
            assert call is not None
            seconds = call()
            if seconds is not None:
                series(timer.result).append(seconds)


def measure_tree(
    tree: Tree,
    runs: int,
    work: Path,
    timeout: float,
    only: Sequence[str] = (),
    *,
    installed: bool = True,
) -> TargetSpeed:
    """Every tool of TOOLS (or those in `only`) on the tree, interleaved: `runs` rounds of
    cold runs (every tool once per round), two uncounted rounds that fill the caches, `runs`
    rounds of unchanged re-runs, then `runs` rounds that each append a function to the
    tree's largest file and re-run every tool once (each tool sees one edited file since
    its previous run). `installed`: time blocking-io installed from a wheel
    (`installed_command`), else the development venv's command (`--quick`)."""
    target = tree.target
    if tree.error or tree.root is None:
        return TargetSpeed(target.name, target.kind, 0, 0, None, tree.error, {})
    makers: dict[str, Callable[[], _Timer]] = {
        "blocking-io": lambda: _bio(tree, timeout, work, installed),
        "hydroid": lambda: _hydroid(tree, timeout, work),
        "ruff": lambda: _peer(
            "ruff", ruff_missing(), run_ruff, tree, timeout, work / "ruff-cache" / target.name
        ),
        "flake8-async": lambda: _peer("flake8-async", flake8_missing(), run_flake8, tree, timeout),
    }
    unknown = set(only) - set(makers)
    if unknown:
        raise SystemExit(f"python -m bench: error: unknown tool(s): {', '.join(sorted(unknown))}")
    every = [make() for name, make in makers.items() if not only or name in only]
    timers = [t for t in every if not t.result.missing]
    _interleaved(timers, runs, lambda t: t.cold, lambda r: r.cold)
    for timer in timers:
        timer.reset()
    # two rounds that fill the caches, not counted: in the second, each tool sees the tree
    # with the cache folders the others added in the first (a new folder in the tree is a
    # changed input to blocking-io's replay of an unchanged re-run)
    for _ in range(2):
        for timer in timers:
            if timer.result.error is None and timer.warm is not None:
                timer.warm()
    _interleaved(timers, runs, lambda t: t.warm, lambda r: r.warm)
    edit = _Edit(tree.root / tree.largest)
    try:
        _interleaved(timers, runs, lambda t: t.warm, lambda r: r.edit, edit)
    finally:
        edit.restore()
    return TargetSpeed(
        target.name,
        target.kind,
        len(tree.files),
        tree.lines,
        tree.largest,
        None,
        {t.result.tool: t.result for t in every},
    )
