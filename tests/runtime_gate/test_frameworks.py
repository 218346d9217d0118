"""The gate under every way async tests run: pytest-asyncio (strict, auto), anyio's pytest
plugin on asyncio, `asyncio.run` in a sync test, and pytest-xdist with two workers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Project

pytest_plugins = ["pytester"]

BODY = """
    (tmp_path / "a.txt").write_text("x")
    if "{kind}" == "blocking":
        await svc.blocking(tmp_path / "a.txt")
    else:
        assert await svc.offloaded(tmp_path / "a.txt") == "x"
"""


def _tests(decorator: str, prefix: str = "") -> str:
    out = "import asyncio\nimport pytest\nimport svc\n\n"
    for kind in ("blocking", "offloaded"):
        out += f"\n{decorator}\nasync def test_{prefix}{kind}(tmp_path):"
        out += BODY.format(kind=kind).replace("\n    ", "\n    ")
    return out


def test_pytest_asyncio_strict_mode(project: Project) -> None:
    project.anchor("test_strict", _tests("@pytest.mark.asyncio"))
    result = project.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED tests/blocking_io/test_strict.py::test_blocking - *"])


def test_pytest_asyncio_auto_mode(project: Project) -> None:
    project.configure(asyncio_mode="auto")
    project.anchor("test_auto", _tests(""))
    result = project.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED tests/blocking_io/test_auto.py::test_blocking - *"])


def test_anyio_plugin_on_the_asyncio_backend(project: Project) -> None:
    source = _tests("@pytest.mark.anyio")
    source += '\n\n@pytest.fixture\ndef anyio_backend():\n    return "asyncio"\n'
    project.anchor("test_anyio", source)
    result = project.run("-p", "no:asyncio")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*BIO101 sync-file-open*", "FAILED tests/blocking_io/test_anyio.py::test_blocking - *"]
    )


def test_asyncio_run_inside_a_sync_test(project: Project) -> None:
    project.anchor(
        "test_sync",
        """
        import asyncio
        import svc


        def test_blocking(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            asyncio.run(svc.blocking(tmp_path / "a.txt"))


        def test_offloaded(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert asyncio.run(svc.offloaded(tmp_path / "a.txt")) == "x"


        def test_no_loop_no_violation(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert svc.load(tmp_path / "a.txt") == "x"  # sync code off any loop
        """,
    )
    result = project.run()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["FAILED tests/blocking_io/test_sync.py::test_blocking - *"])


def test_xdist_two_workers_merge_into_the_same_report(project: Project) -> None:
    """Each worker hands its part to the controller; the merged file equals a serial run's.

    The teeth hook works across workers too: the reverted site is reported as reached.
    """
    for index in range(3):
        project.anchor(f"test_part{index}", _tests("@pytest.mark.asyncio", prefix=f"p{index}_"))
    extra = project.module(
        "extra",
        """
        import asyncio
        from svc import load


        async def other(path):
            return await asyncio.to_thread(load, path)
        """,
    )
    project.anchor(
        "test_reverted",
        """
        import pytest
        from svc import extra


        @pytest.mark.asyncio
        async def test_other(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert await extra.other(tmp_path / "a.txt") == "x"
        """,
    )
    line = (
        extra.read_text().splitlines().index("    return await asyncio.to_thread(load, path)") + 1
    )
    revert = f"--blocking-io-revert-offload=src/svc/extra.py:{line}"
    serial = project.run("--blocking-io-report=serial.json", revert)
    serial.assert_outcomes(passed=3, failed=4)
    parallel = project.run_subprocess("-n", "2", "--blocking-io-report=parallel.json", revert)
    parallel.assert_outcomes(passed=3, failed=4)
    parallel.stdout.fnmatch_lines(
        [
            "*anchors report: *parallel.json (7 anchors, 4 violations*",
            f"reverted offload src/svc/extra.py:{line}: ran inline in 1 test(s)*",
        ]
    )
    one = json.loads((project.path / "serial.json").read_text())
    two = json.loads((project.path / "parallel.json").read_text())
    assert one == two
    assert [a["test"] for a in two["anchors"]] == sorted(a["test"] for a in two["anchors"])
    assert {a["outcome"] for a in two["anchors"]} == {"passed", "failed"}
    assert all(a["executed"]["src/svc/__init__.py"] for a in two["anchors"])
