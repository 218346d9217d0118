"""`blocking-io detect` stopped by a signal half-way through a scan of a large project.

Whatever the moment (worker processes parsing, or the single-process analysis after them),
SIGINT / SIGTERM end the run within seconds with one "interrupted" line and 128 + the signal
number (130, 143, what a shell reports); the worker processes go with it; findings.json is
the previous whole report or absent, never part of one; the cache stays valid. A parent
killed outright (SIGKILL) cannot clean up, but its workers still exit on their own.

The project (1500 modules, a few seconds to scan with --jobs 2) is generated once per
module; every test scans its own copy, started in a new session so that the process group
is exactly the run and its workers (Ctrl-C in a terminal signals that whole group).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from blocking_io.shared_rules.reports import FindingsReport, parse_report
from detect_support import make_project, report_of

MODULES = 1500
MODULE = """\
import os
import time
{imports}


def helper{i}(path):
    with open(path) as fh:
        return fh.read()


class Service{i}:
    def __init__(self):
        self.items = []

    def add(self, value):
        self.items.append(value)
        return len(self.items)


async def handler{i}(path):
    if os.path.exists(path):
        return helper{i}(path)
    time.sleep(0.1)
    return None
"""

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
    pytest.mark.timeout(240),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signals") / "proj"
    files = {"app/__init__.py": ""}
    for i in range(MODULES):
        imports = f"from app.m{i - 1} import helper{i - 1}" if i else ""
        files[f"app/m{i}.py"] = MODULE.format(i=i, imports=imports)
    make_project(root, files)
    return root


@pytest.fixture(scope="module")
def reference(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What a clean, uninterrupted `--no-cache` scan reports (minus run-specific keys)."""
    root = tmp_path_factory.mktemp("reference") / "proj"
    shutil.copytree(template, root)
    run = Run(root, "--no-cache", "--no-report", "--format", "json")
    assert run.wait(200) == 1, run.stderr()
    return comparable(json.loads(run.stdout_path.read_text("utf-8")))


@pytest.fixture
def proj(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(template, root)
    return root


def comparable(report: dict) -> dict:
    """The report without what differs between two runs of the same scan in two copies."""
    return {k: v for k, v in report.items() if k not in ("root", "stats")}


# -- processes ------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, process group) from /proc, None once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def group(pgid: int) -> dict[int, str]:
    """Live processes of a process group: pid -> state (zombies are dead: not counted)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        info = _stat(int(entry.name))
        if info is not None and info[2] == pgid and info[0] != "Z":
            out[int(entry.name)] = info[0]
    return out


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Run:
    """`blocking-io detect ARGS --jobs 2` in `root`, in a session of its own, output to files
    (a pipe would hang the test on a worker that outlives its parent)."""

    def __init__(self, root: Path, *args: str) -> None:
        self.root = root
        self.stdout_path = root.parent / f"stdout-{time.monotonic_ns()}"
        self.stderr_path = root.parent / f"stderr-{time.monotonic_ns()}"
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("FORCE_COLOR", None)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "blocking_io", "detect", "--jobs", "2", *args],
                cwd=root,
                stdout=out,
                stderr=err,
                env=env,
                start_new_session=True,
            )
        self.pid = self.process.pid

    def workers(self) -> list[int]:
        return [pid for pid in group(self.pid) if pid != self.pid]

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout)

    def stderr(self) -> str:
        return self.stderr_path.read_text("utf-8", errors="replace")

    def parsing(self) -> None:
        """Until the worker processes are up (the scan is past discovery and reading)."""
        wait_for(lambda: bool(self.workers()) or self.process.poll() is not None, 120, "workers")
        assert self.process.poll() is None, "the scan ended before its workers were seen"

    def analysing(self) -> None:
        """Until the workers are done and the parent alone resolves the whole program."""
        self.parsing()
        wait_for(lambda: not self.workers() or self.process.poll() is not None, 120, "parse")
        assert self.process.poll() is None, "the scan ended before it could be interrupted"

    def interrupted(self, signum: int) -> None:
        """The run ended because of the signal (exit 128 + its number, one "interrupted"
        line, no report), and took its workers along."""
        code = self.wait(30)
        assert code == 128 + signum, self.stderr()
        assert self.stderr() == f"blocking-io: interrupted ({signal.Signals(signum).name})\n"
        assert self.stdout_path.read_text() == ""
        wait_for(lambda: not group(self.pid), 5, f"no process left: {group(self.pid)}")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    """Runs started by a test; none survives it, whatever the test's outcome."""
    started: list[Run] = []
    yield started
    for run in started:
        if run.process.poll() is None or group(run.pid):
            run.kill()


def start(runs: list[Run], root: Path, *args: str) -> Run:
    run = Run(root, *args)
    runs.append(run)
    return run


def leftovers(report_dir: Path) -> list[str]:
    """Temporary files of interrupted atomic writes (report or cache)."""
    if not report_dir.exists():
        return []
    return sorted(
        p.name for p in report_dir.rglob("*") if p.name.startswith(".") and p.name != ".gitignore"
    )


def whole_cache(report_dir: Path) -> int:
    """How many cache entries there are; each one must load (no torn entry)."""
    entries = list((report_dir / "cache").rglob("*.pickle"))
    for entry in entries:
        pickle.loads(entry.read_bytes())
    return len(entries)


# -- the tests ------------------------------------------------------------------------------


def test_ctrl_c_while_workers_parse_stops_everything_and_writes_no_report(
    proj: Path, runs: list[Run]
) -> None:
    run = start(runs, proj, "--no-cache")
    run.parsing()
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group

    run.interrupted(signal.SIGINT)
    assert not (proj / ".blocking-io" / "findings.json").exists()
    assert leftovers(proj / ".blocking-io") == []


def test_sigterm_to_the_cli_alone_stops_its_workers_and_keeps_the_previous_report(
    proj: Path, runs: list[Run]
) -> None:
    """SIGTERM to one pid (a CI cancel, `timeout`, `kill`): the workers never get a signal;
    before the fix the parent died on the spot and they were left running for ever."""
    previous = start(runs, proj, "--no-cache", "app/m1.py", "app/m2.py")  # a quick, small run
    assert previous.wait(120) == 1, previous.stderr()
    report = proj / ".blocking-io" / "findings.json"
    before = report.read_bytes()
    assert {f.path for f in report_of(proj).findings} == {"app/m1.py", "app/m2.py"}

    run = start(runs, proj, "--no-cache")
    run.parsing()
    os.kill(run.pid, signal.SIGTERM)

    run.interrupted(signal.SIGTERM)
    assert report.read_bytes() == before
    assert leftovers(proj / ".blocking-io") == []


def test_sigkill_of_the_cli_leaves_no_worker_running(proj: Path, runs: list[Run]) -> None:
    """Nothing can clean up after SIGKILL (or the OOM killer): the workers notice that
    their parent is gone and exit by themselves."""
    run = start(runs, proj, "--no-cache")
    run.parsing()
    workers = run.workers()
    os.kill(run.pid, signal.SIGKILL)

    assert run.wait(10) == -signal.SIGKILL
    wait_for(lambda: not any(_alive(pid) for pid in workers), 10, f"workers {workers} to exit")
    assert not (proj / ".blocking-io" / "findings.json").exists()


def _alive(pid: int) -> bool:
    info = _stat(pid)
    return info is not None and info[0] != "Z"


@pytest.mark.slow
def test_interrupted_cached_runs_leave_a_cache_that_gives_the_clean_result(
    proj: Path, runs: list[Run], reference: dict
) -> None:
    report_dir = proj / ".blocking-io"
    # 1. Ctrl-C while the workers parse (summaries are cached once the parse is complete)
    first = start(runs, proj)
    first.parsing()
    time.sleep(0.3)
    os.killpg(first.pid, signal.SIGINT)
    first.interrupted(signal.SIGINT)
    assert whole_cache(report_dir) < MODULES

    # 2. SIGTERM once the workers are done: while the parent writes their summaries to
    #    the cache, or analyses the whole program
    second = start(runs, proj)
    second.analysing()
    os.kill(second.pid, signal.SIGTERM)
    second.interrupted(signal.SIGTERM)
    assert not (report_dir / "findings.json").exists()
    assert leftovers(report_dir) == []
    whole_cache(report_dir)

    # 3. the next run completes, with what the interrupted ones cached, and reports what a
    #    clean --no-cache scan does; so does a fourth, served from the cache it left
    report = report_dir / "findings.json"
    for expected_hits in (None, MODULES + 1):
        run = start(runs, proj)
        assert run.wait(200) == 1, run.stderr()
        assert comparable(json.loads(report.read_text("utf-8"))) == reference
        hits = parse_report(report.read_bytes(), FindingsReport, report).stats.cache_hits
        assert expected_hits is None or hits == expected_hits
    assert leftovers(report_dir) == []
