"""Run `blocking-io detect` on corpus cases as real projects and map findings back.

Each case is copied into a scratch project with a generated pyproject.toml
(`[tool.blocking-io]` with `exclude = []` plus the case's own configuration), scanned by the
real CLI in a subprocess, and its findings are mapped back to corpus paths.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from blocking_io.shared_rules.reports import FindingsReport
from pydantic import ValidationError

from .corpus import Case
from .measure import run_measured

BATCH = "corpus-batch"
DEFAULT_TIMEOUT = 900.0


@dataclass(frozen=True)
class Reported:
    """One finding of the detector, at a corpus path."""

    path: str
    line: int
    rule: str
    suppressed: bool
    message: str = ""
    chain: tuple[str, ...] = ()
    # object uses listed on this finding instead of reported: (line, rule), same file
    listed: tuple[tuple[int, str], ...] = ()

    def describe(self) -> str:
        via = f" via {' -> '.join(self.chain)}" if len(self.chain) > 1 else ""
        return f"{self.message}{via}"


@dataclass
class Project:
    """What one detector run scans: one or more cases laid out in a scratch directory."""

    name: str
    cases: list[Case]
    config: dict[str, Any] = field(default_factory=dict)

    def layout(self) -> dict[str, tuple[Path, str]]:
        """project-relative path -> (source file, corpus-relative path)."""
        files: dict[str, tuple[Path, str]] = {}
        for case in self.cases:
            base = case.path if case.is_package else case.path.parent
            for inner, parsed in case.files.items():
                files[inner] = (base / inner, parsed.rel)
        return files


@dataclass
class ScanResult:
    reported: list[Reported]
    failures: dict[str, str]  # project name -> why its detector run failed
    analysis_errors: list[tuple[str, str]]  # (corpus path, "line: kind: message")
    projects: dict[str, str]  # case name -> project name
    seconds: float

    def errors_for(self, case: Case) -> list[str]:
        """One line per problem that concerns this case (its run failed, a file not analysed)."""
        found = []
        project = self.projects.get(case.name)
        if project in self.failures:
            found.append(f"{project}: blocking-io detect failed: {self.failures[project]}")
        rels = {f.rel for f in case.files.values()}
        found += [f"{rel}:{message}" for rel, message in self.analysis_errors if rel in rels]
        return found

    @property
    def errors(self) -> list[str]:
        lines = [f"{name}: blocking-io detect failed: {why}" for name, why in self.failures.items()]
        return lines + [f"{rel}:{message}" for rel, message in self.analysis_errors]


def plan(cases: Sequence[Case], *, isolated: bool = False) -> list[Project]:
    """Single-file cases without configuration share one project unless `isolated`; package
    cases and configured cases always get their own."""
    projects: list[Project] = []
    batch = Project(BATCH, [])
    for case in cases:
        if isolated or case.is_package or case.config:
            projects.append(Project(case.name.replace("/", "__"), [case], dict(case.config)))
        else:
            batch.cases.append(case)
    if batch.cases:
        projects.insert(0, batch)
    return projects


def write_project(project: Project, directory: Path) -> Path:
    """Copy the project's files into `directory` and write its pyproject.toml."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for inner, (source, _rel) in sorted(project.layout().items()):
        target = directory / inner
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    # corpus cases are fragments of programs (their classes are made elsewhere): an open world
    # unless a case says otherwise (`# config: closed-world = true`)
    table = {"exclude": [], "closed-world": False, **project.config}
    document = tomlkit.document()
    document.add("tool", {"blocking-io": table})
    (directory / "pyproject.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
    return directory


def detector_command() -> list[str]:
    """The installed `blocking-io` console script next to this interpreter, else on PATH."""
    candidate = Path(sys.executable).with_name("blocking-io")
    if candidate.is_file():
        return [str(candidate)]
    found = shutil.which("blocking-io")
    return [found] if found else []


REPOSITORY = Path(__file__).resolve().parent.parent
_installed: dict[Path, list[str]] = {}


def installed_command(work: Path) -> list[str]:
    """`blocking-io` as `pip install blocking-io` gives it to users, for timing: a wheel of
    the working tree in a venv of its own under `work` (dependencies as constraints.txt pins
    them), rebuilt once per bench process. The development venv's editable install runs
    setuptools' import hook at every interpreter start (about 20 ms, a third of an unchanged
    re-run) and compiles nothing ahead; users pay neither."""
    if work not in _installed:
        venv = work / "tool-venv"
        python = venv / "bin" / "python"
        wheels = work / "tool-wheel"
        shutil.rmtree(wheels, ignore_errors=True)
        quiet = ["--quiet", "--disable-pip-version-check"]
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", *quiet, "--no-deps", "--no-build-isolation",
             "--wheel-dir", str(wheels), str(REPOSITORY)],
            check=True, capture_output=True,
        )  # fmt: skip
        (wheel,) = wheels.glob("*.whl")
        pip = [sys.executable, "-m", "pip", "--python", str(python), "install", *quiet]
        if not python.is_file():
            subprocess.run(
                [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300
            )
            constraints = REPOSITORY / "requirements" / "constraints.txt"
            subprocess.run([*pip, "-c", str(constraints), str(wheel)], check=True)
        else:  # the dependencies are there: only this working tree's code is new
            subprocess.run([*pip, "--no-deps", "--force-reinstall", str(wheel)], check=True)
        _installed[work] = [str(venv / "bin" / "blocking-io")]
    return _installed[work]


class DetectorUnusable(RuntimeError):
    """`blocking-io` is missing or broken (as opposed to: `detect` not written yet)."""


def detect_is_known() -> bool:
    """Whether `blocking-io --help` lists a `detect` command; DetectorUnusable when the CLI
    itself is missing or fails."""
    command = detector_command()
    if not command:
        raise DetectorUnusable("the `blocking-io` command is not installed (pip install -e .)")
    try:
        proc = subprocess.run(
            [*command, "--help"], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DetectorUnusable(f"`blocking-io --help` failed: {exc}") from None
    if proc.returncode != 0:
        raise DetectorUnusable(
            f"`blocking-io --help` exited {proc.returncode}: {_first_line(proc.stderr)}"
        )
    return re.search(r"^[\s│|]*detect\b", proc.stdout, re.MULTILINE) is not None


def detector_missing() -> str | None:
    """Why the bench cannot run `blocking-io detect` (None when it can)."""
    try:
        known = detect_is_known()
    except DetectorUnusable as exc:
        return str(exc)
    return None if known else "`blocking-io detect` is not a command yet"


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return "(no output)"


@dataclass
class DetectRun:
    report: FindingsReport | None
    seconds: float
    error: str | None  # one line when the run failed
    max_rss_kib: int = 0
    sum_rss_kib: int = 0  # summed over the process tree (workers), at its largest


def run_detect(
    directory: Path,
    paths: Iterable[str] = (".",),
    extra: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    program: Sequence[str] = (),
) -> DetectRun:
    """`blocking-io detect PATHS --format json --config <directory>/pyproject.toml`, with
    `program` as the command if given (else `detector_command()`)."""
    command = [
        *(program or detector_command()),
        "detect",
        *paths,
        "--format",
        "json",
        "--config",
        str(directory / "pyproject.toml"),
        *extra,
    ]
    outcome = run_measured(command, cwd=directory, timeout=timeout)
    if outcome.error:
        return DetectRun(None, outcome.seconds, outcome.error, outcome.max_rss_kib)
    if outcome.returncode not in (0, 1):
        message = _first_line(outcome.stderr)
        return DetectRun(
            None, outcome.seconds, f"exit {outcome.returncode}: {message}", outcome.max_rss_kib
        )
    try:
        report = FindingsReport.model_validate(json.loads(outcome.stdout))
    except (json.JSONDecodeError, ValidationError) as exc:
        message = _first_line(str(exc))
        return DetectRun(
            None,
            outcome.seconds,
            f"output is not a findings report: {message}",
            outcome.max_rss_kib,
        )
    return DetectRun(report, outcome.seconds, None, outcome.max_rss_kib, outcome.sum_rss_kib)


def scan(cases: Sequence[Case], workdir: Path, *, isolated: bool = False) -> ScanResult:
    """Scan every case (batched or isolated) and return the findings at corpus paths."""
    result = ScanResult([], {}, [], {}, 0.0)
    for project in plan(cases, isolated=isolated):
        result.projects.update({case.name: project.name for case in project.cases})
        directory = write_project(project, workdir / project.name)
        layout = project.layout()
        run = run_detect(directory)
        result.seconds += run.seconds
        if run.report is None:
            result.failures[project.name] = run.error or "unknown error"
            continue
        for error in run.report.errors:
            rel = layout.get(error.path, (None, error.path))[1]
            result.analysis_errors.append(
                (rel, f"{error.line or 0}: {error.kind}: {error.message}")
            )
        for finding in run.report.findings:
            rel = layout.get(finding.path, (None, f"{project.name}/{finding.path}"))[1]
            chain = tuple(
                f"{step.function} ({layout.get(step.path, (None, step.path))[1]}:{step.line})"
                for step in finding.chain
            )
            result.reported.append(
                Reported(
                    rel,
                    finding.line,
                    finding.rule,
                    finding.suppressed is not None,
                    finding.message,
                    chain,
                    tuple((a.line, a.rule) for a in finding.also if a.line is not None),
                )
            )
    result.reported.sort(key=lambda r: (r.path, r.line, r.rule, r.suppressed))
    return result
