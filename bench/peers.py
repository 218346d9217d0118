"""The peers: ruff's ASYNC rules (preview), flake8-async and hydroid-cli, run as real
subprocesses."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .measure import Outcome, run_measured

# Only flake8-async's blocking-call family is scored: ASYNC1xx (cancellation, timeouts) and
# ASYNC127 ("use httpx2") make no claim that a line blocks the loop.
SCORED_PREFIX = "ASYNC2"
FLAKE8_FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s"


@dataclass(frozen=True)
class PeerReport:
    path: str  # relative to the scanned root, posix
    line: int
    code: str
    message: str

    @property
    def scored(self) -> bool:
        return self.code.startswith(SCORED_PREFIX)


@dataclass
class PeerRun:
    tool: str
    reports: list[PeerReport]
    seconds: float
    max_rss_kib: int
    error: str | None = None
    sum_rss_kib: int = 0


def ruff_command() -> list[str]:
    candidate = Path(sys.executable).with_name("ruff")
    if candidate.is_file():
        return [str(candidate)]
    found = shutil.which("ruff")
    return [found] if found else []


def ruff_missing() -> str | None:
    return None if ruff_command() else "ruff is not installed (pip install -e '.[dev]')"


def flake8_missing() -> str | None:
    for dist in ("flake8", "flake8-async"):
        try:
            importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return f"{dist} is not installed (pip install -e '.[bench]')"
    return None


def hydroid_command() -> list[str]:
    candidate = Path(sys.executable).with_name("hydroid")
    if candidate.is_file():
        return [str(candidate)]
    found = shutil.which("hydroid")
    return [found] if found else []


def hydroid_missing() -> str | None:
    return None if hydroid_command() else "hydroid is not installed (pip install -e '.[bench]')"


# hydroid resolves imports against an environment (`--python`); the bench gives it an empty
# one, as blocking-io follows no target dependencies in a bench tree either. Its own cache
# and blocking-io's report dir live in the tree: neither is a source file to scan.
HYDROID_EXCLUDES = (".blocking-io/", ".hydroid_cache/")


def bare_python(work: Path) -> Path:
    """An empty virtual environment (no pip) for hydroid's --python, made once."""
    venv = work / "bare-venv"
    if not (venv / "pyvenv.cfg").is_file():
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300
        )
    return venv


def hydroid_argv(python: Path, *, cache: bool = False) -> list[str]:
    excludes = [arg for glob in HYDROID_EXCLUDES for arg in ("--exclude", glob)]
    return [
        *hydroid_command(),
        ".",
        "--python",
        str(python),
        *excludes,
        *([] if cache else ["--no-cache"]),
        "--format",
        "json",
    ]


def run_hydroid(root: Path, *, python: Path, cache: bool = False, timeout: float = 900) -> PeerRun:
    """hydroid on the tree `root` (its project root). Exit 1 means findings, not failure."""
    outcome = run_measured(hydroid_argv(python, cache=cache), cwd=root, timeout=timeout)
    if outcome.returncode == 1:
        outcome.returncode = 0
    failed = _failed("hydroid", outcome)
    if failed:
        return PeerRun("hydroid", [], outcome.seconds, outcome.max_rss_kib, failed)
    try:
        data = json.loads(outcome.stdout or "{}")
    except json.JSONDecodeError as exc:
        return PeerRun("hydroid", [], outcome.seconds, outcome.max_rss_kib, f"bad JSON: {exc}")
    reports = [
        PeerReport(
            _relative(str(item.get("location", {}).get("path", "")), root),
            int(item.get("location", {}).get("line", 0) or 0),
            "HYDROID",
            str(item.get("sink", {}).get("qualname", "")),
        )
        for item in data.get("diagnostics", [])
    ]
    return PeerRun(
        "hydroid",
        sorted(reports, key=_key),
        outcome.seconds,
        outcome.max_rss_kib,
        sum_rss_kib=outcome.sum_rss_kib,
    )


def versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for dist in ("blocking-io", "ruff", "flake8", "flake8-async", "hydroid-cli"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = "not installed"
    if found["ruff"] == "not installed" and ruff_command():
        proc = subprocess.run([*ruff_command(), "--version"], capture_output=True, text=True)
        found["ruff"] = proc.stdout.strip().removeprefix("ruff ") or "unknown"
    return found


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def ruff_argv(paths: Sequence[str], *, cache_dir: Path | None = None) -> list[str]:
    cache = ["--cache-dir", str(cache_dir)] if cache_dir else ["--no-cache"]
    return [
        *ruff_command(),
        "check",
        "--isolated",
        *cache,
        "--select",
        "ASYNC",
        "--preview",
        "--output-format",
        "json",
        "--exit-zero",
        *paths,
    ]


def flake8_argv(paths: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "flake8",
        "--isolated",
        "--select",
        "ASYNC",
        f"--format={FLAKE8_FORMAT}",
        "--exit-zero",
        *paths,
    ]


def run_ruff(
    root: Path,
    paths: Sequence[str] = (".",),
    *,
    cache_dir: Path | None = None,
    timeout: float = 900,
) -> PeerRun:
    outcome = run_measured(ruff_argv(paths, cache_dir=cache_dir), cwd=root, timeout=timeout)
    failed = _failed("ruff", outcome)
    if failed:
        return PeerRun("ruff", [], outcome.seconds, outcome.max_rss_kib, failed)
    try:
        items = json.loads(outcome.stdout or "[]")
    except json.JSONDecodeError as exc:
        return PeerRun("ruff", [], outcome.seconds, outcome.max_rss_kib, f"bad JSON: {exc}")
    reports = [
        PeerReport(
            _relative(item["filename"], root),
            int(item["location"]["row"]),
            item["code"],
            item.get("message", ""),
        )
        for item in items
        if item.get("code")  # syntax errors have no code
    ]
    return PeerRun(
        "ruff",
        sorted(reports, key=_key),
        outcome.seconds,
        outcome.max_rss_kib,
        sum_rss_kib=outcome.sum_rss_kib,
    )


def run_flake8(root: Path, paths: Sequence[str] = (".",), *, timeout: float = 900) -> PeerRun:
    outcome = run_measured(flake8_argv(paths), cwd=root, timeout=timeout)
    failed = _failed("flake8", outcome)
    if failed:
        return PeerRun("flake8-async", [], outcome.seconds, outcome.max_rss_kib, failed)
    reports = []
    for line in outcome.stdout.splitlines():
        parts = line.split(":", 4)
        if len(parts) != 5 or not parts[1].isdigit():
            continue
        path, row, _col, code, text = parts
        reports.append(PeerReport(_relative(path, root), int(row), code, text))
    return PeerRun(
        "flake8-async",
        sorted(reports, key=_key),
        outcome.seconds,
        outcome.max_rss_kib,
        sum_rss_kib=outcome.sum_rss_kib,
    )


def _failed(tool: str, outcome: Outcome) -> str | None:
    if outcome.error:
        return outcome.error
    if outcome.returncode != 0:
        lines = [ln for ln in outcome.stderr.splitlines() if ln.strip()]
        return f"{tool} exited {outcome.returncode}: {lines[-1] if lines else '(no output)'}"
    return None


def _key(report: PeerReport) -> tuple[str, int, str]:
    return (report.path, report.line, report.code)
