"""`--blocking-io-report`: the anchors contract from real runs, alone and beside pytest-cov."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from blocking_io.runtime_gate import executed
from blocking_io.shared_rules.config import load_config
from blocking_io.shared_rules.reports import AnchorsReport, load_report

from blocking_io import __version__

if TYPE_CHECKING:
    from conftest import Project

pytest_plugins = ["pytester"]

EXTRA = """

def only_unit():
    return "unit"
"""

ANCHORS = """
    import pytest
    import svc


    @pytest.mark.asyncio
    async def test_offloaded(tmp_path):
        (tmp_path / "a.txt").write_text("x")
        assert await svc.offloaded(tmp_path / "a.txt") == "x"


    @pytest.mark.asyncio
    async def test_blocking(tmp_path):
        (tmp_path / "a.txt").write_text("x")
        await svc.blocking(tmp_path / "a.txt")


    @pytest.mark.asyncio
    async def test_swallowing(tmp_path):
        (tmp_path / "a.txt").write_text("x")
        await svc.swallowing(tmp_path / "a.txt")


    @pytest.fixture
    def broken():
        raise RuntimeError("fixture broke")


    def test_error(broken):
        pass


    @pytest.mark.skip(reason="not today")
    def test_skipped():
        pass
"""

UNIT = """
    import svc


    def test_unit():
        assert svc.only_unit() == "unit"
"""


def _lines(source: str, *snippets: str) -> list[int]:
    numbered = source.splitlines()
    return sorted(i for i, line in enumerate(numbered, 1) if line.strip() in snippets)


@pytest.fixture
def recorded(project: Project) -> Project:
    source = (project.path / "src" / "svc" / "__init__.py").read_text() + EXTRA
    project.module("__init__", source)
    project.anchor("test_anchors", ANCHORS)
    project.anchor("test_unit", UNIT, folder="tests/unit")
    return project


def _svc_lines(project: Project, *snippets: str) -> list[int]:
    return _lines((project.path / "src" / "svc" / "__init__.py").read_text(), *snippets)


LOAD = ("with open(path) as f:", "return f.read()")


def test_report_lists_anchors_outcomes_executed_lines_and_violations(recorded: Project) -> None:
    result = recorded.run("--blocking-io-report=out/anchors.json")
    result.assert_outcomes(passed=2, failed=2, errors=1, skipped=1)
    path = recorded.path / "out" / "anchors.json"
    report = load_report(path, AnchorsReport)  # validates schema and contract
    source = recorded.path / "src" / "svc" / "__init__.py"

    assert report.root == recorded.path.resolve().as_posix()
    assert report.scanned_modules == ["svc"]
    assert report.rules_hash == load_config(recorded.path / "pyproject.toml").registry.rules_hash
    assert report.tool is not None and report.tool.version == __version__
    assert report.files == {"src/svc/__init__.py": hashlib.sha256(source.read_bytes()).hexdigest()}

    anchors = {a.test.rsplit("::", 1)[1]: a for a in report.anchors}
    assert {name: a.outcome for name, a in anchors.items()} == {
        "test_offloaded": "passed",
        "test_blocking": "failed",
        "test_swallowing": "failed",
        "test_error": "error",
        "test_skipped": "skipped",
    }
    svc = "src/svc/__init__.py"
    offloaded = _svc_lines(recorded, *LOAD, "return await asyncio.to_thread(load, path)")
    assert anchors["test_offloaded"].executed == {svc: offloaded}  # incl. the worker thread
    blocking = [_svc_lines(recorded, LOAD[0])[0], _svc_lines(recorded, "return load(path)")[0]]
    assert anchors["test_blocking"].executed == {svc: blocking}
    assert anchors["test_error"].executed == {}
    assert "test_unit" not in str(report.anchors)  # not gated: not an anchor
    assert all(
        _svc_lines(recorded, 'return "unit"')[0] not in a.executed.get(svc, [])
        for a in report.anchors
    )

    assert [
        (v.test.rsplit("::", 1)[1], v.rule, v.symbol, v.path, v.line, v.function, v.swallowed)
        for v in report.violations
    ] == [
        (
            "test_blocking",
            "BIO101",
            "builtins.open",
            svc,
            _svc_lines(recorded, LOAD[0])[0],
            "load",
            False,
        ),
        (
            "test_swallowing",
            "BIO101",
            "builtins.open",
            svc,
            _svc_lines(recorded, LOAD[0])[0],
            "load",
            True,
        ),
    ]
    via = "sys.monitoring" if sys.version_info >= (3, 12) else "coverage.py*"
    result.stdout.fnmatch_lines(
        [f"anchors report: {path} (5 anchors, 2 violations; lines via {via})"]
    )


def test_report_is_deterministic_and_written_to_report_dir_by_default(recorded: Project) -> None:
    recorded.run("--blocking-io-report")
    first = (recorded.path / ".blocking-io" / "anchors.json").read_bytes()
    recorded.run("--blocking-io-report")
    assert (recorded.path / ".blocking-io" / "anchors.json").read_bytes() == first
    assert not list((recorded.path / ".blocking-io").glob("*.tmp"))


def test_unwritable_report_path_is_one_line(recorded: Project) -> None:
    (recorded.path / "blocker").write_text("a file, not a directory")
    result = recorded.run("--blocking-io-report=blocker/anchors.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines([f"{recorded.path}/blocker/anchors.json: cannot write report: *"])
    assert "Traceback" not in result.stdout.str()


def _covered(path: Path) -> dict[str, list[int]]:
    data = json.loads(path.read_text())
    return {name: info["executed_lines"] for name, info in data["files"].items()}


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "branches"])
def test_works_beside_pytest_cov_without_changing_its_measurement(
    recorded: Project, branch: bool
) -> None:
    """pytest-cov measures the same lines with or without recording; the anchors are exact.

    Python < 3.12 reads coverage.py's collector (one trace slot per thread), 3.12+ uses
    sys.monitoring next to it.
    """
    args = ["--cov=svc", "-p", "no:xdist", *(["--cov-branch"] if branch else [])]
    plain = recorded.run_subprocess(*args, "--cov-report=json:plain.json")
    plain.assert_outcomes(passed=2, failed=2, errors=1, skipped=1)
    both = recorded.run_subprocess(
        *args, "--cov-report=json:both.json", "--blocking-io-report=anchors.json"
    )
    both.assert_outcomes(passed=2, failed=2, errors=1, skipped=1)
    via = "sys.monitoring" if sys.version_info >= (3, 12) else "coverage.py (pytest-cov)"
    both.stdout.fnmatch_lines([f"anchors report: *; lines via {via})"])

    assert _covered(recorded.path / "both.json") == _covered(recorded.path / "plain.json")
    report: Any = json.loads((recorded.path / "anchors.json").read_text())
    anchors = {a["test"].rsplit("::", 1)[1]: a["executed"] for a in report["anchors"]}
    svc = "src/svc/__init__.py"
    assert anchors["test_offloaded"] == {
        svc: _svc_lines(recorded, *LOAD, "return await asyncio.to_thread(load, path)")
    }
    swallowing = _svc_lines(recorded, "try:", "except Exception:", "return None", LOAD[0])
    swallowing.append(_svc_lines(recorded, "return load(path)")[1])
    assert anchors["test_swallowing"][svc] == sorted(swallowing)


def test_recording_mechanism_matches_the_interpreter() -> None:
    recorder = executed.recorder_for(("/nowhere/",))
    try:
        expected = "sys.monitoring" if sys.version_info >= (3, 12) else "coverage.py"
        assert recorder.name.startswith(expected)
    finally:
        recorder.close()


WORK = """\
import asyncio


def helper(n):
    total = 0
    for i in range(n):
        total += i
    return total


def unused():
    return 0


async def entry(n):
    first = helper(n)
    second = await asyncio.to_thread(helper, n)
    return first + second
"""


def _recorders() -> list[str]:
    names = ["settrace", "coverage"]
    if sys.version_info >= (3, 12):
        names.append("monitoring")
    return names


@pytest.mark.parametrize("kind", _recorders())
def test_each_recorder_records_exactly_the_lines_run_between_start_and_stop(
    tmp_path: Path, kind: str
) -> None:
    import asyncio
    import importlib

    (tmp_path / "rec_pkg").mkdir()
    (tmp_path / "rec_pkg" / "__init__.py").write_text(WORK)
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    prefix = (str(tmp_path / "rec_pkg") + "/",)
    recorder: executed.Recorder = {
        "settrace": executed.TraceRecorder,
        "coverage": executed.CoverageRecorder,
        "monitoring": getattr(executed, "MonitoringRecorder", executed.Recorder),
    }[kind](prefix)
    try:
        mod = importlib.import_module("rec_pkg")
        if kind == "settrace" and sys.gettrace() is not None:
            pytest.skip("another tracer (coverage, debugger) holds sys.settrace")
        recorder.start()
        asyncio.run(mod.entry(3))
        first = recorder.stop()
        recorder.start()
        mod.helper(0)  # the loop body does not run: its lines must not carry over
        second = recorder.stop()
    finally:
        recorder.close()
        sys.path.remove(str(tmp_path))
        sys.modules.pop("rec_pkg", None)
    filename = str(tmp_path / "rec_pkg" / "__init__.py")
    assert first == {filename: set(_lines(WORK, *_BODY, *_ENTRY))}
    assert second == {
        filename: set(_lines(WORK, "total = 0", "for i in range(n):", "return total"))
    }


_BODY = ("total = 0", "for i in range(n):", "total += i", "return total")
_ENTRY = (
    "first = helper(n)",
    "second = await asyncio.to_thread(helper, n)",
    "return first + second",
)
