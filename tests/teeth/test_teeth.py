"""`blocking-io teeth` and `blocking-io anchor lint` on a small project, with real runs.

svc/jobs.py has three offloads of blocking work:
  render  -> to_thread(read_template): an anchor runs it with a real file   -> has-teeth
  archive -> to_thread(shutil.make_archive): the anchor fakes make_archive  -> toothless
  purge   -> to_thread(shutil.rmtree): no anchor runs it                    -> unexercised
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PYPROJECT = """\
[tool.blocking-io]
source-roots = ["src"]
scanned-modules = ["svc"]
exclude = []

[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
"""

JOBS = """\
import asyncio
import shutil


def read_template(path):
    with open(path) as fh:
        return fh.read()


async def render(path):
    return (await asyncio.to_thread(read_template, path)).upper()


async def archive(base, root):
    return await asyncio.to_thread(shutil.make_archive, base, "zip", root_dir=root)


async def purge(path):
    await asyncio.to_thread(shutil.rmtree, path)
"""

ANCHORS = """\
import shutil

from svc import jobs


async def test_render(tmp_path):
    (tmp_path / "t.txt").write_text("hi")
    assert await jobs.render(tmp_path / "t.txt") == "HI"


async def test_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "make_archive", lambda base, fmt, root_dir=None: base + ".zip")
    assert await jobs.archive(str(tmp_path / "a"), tmp_path) == str(tmp_path / "a") + ".zip"
"""


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blocking_io", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("teeth")
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "src" / "svc").mkdir(parents=True)
    (root / "src" / "svc" / "__init__.py").write_text("")
    (root / "src" / "svc" / "jobs.py").write_text(JOBS)
    (root / "tests" / "blocking_io").mkdir(parents=True)
    (root / "tests" / "blocking_io" / "test_jobs.py").write_text(ANCHORS)
    assert _cli(root, "detect", "--format", "json").returncode == 0
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--blocking-io-report=.blocking-io/anchors.json"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout
    return root


def _line(root: Path, text: str) -> int:
    lines = (root / "src" / "svc" / "jobs.py").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_each_offload_gets_its_outcome(project):
    done = _cli(project, "teeth", "--format", "json", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    sites = {s["target"]: s for s in json.loads(done.stdout)["sites"]}
    assert {t: s["outcome"] for t, s in sites.items()} == {
        "svc.jobs.read_template": "has-teeth",
        "shutil.make_archive": "toothless",
        "shutil.rmtree": "unexercised",
    }
    assert sites["svc.jobs.read_template"]["anchors"] == [
        "tests/blocking_io/test_jobs.py::test_render"
    ]
    assert sites["shutil.make_archive"]["anchors"] == [
        "tests/blocking_io/test_jobs.py::test_archive"
    ]
    assert sites["svc.jobs.read_template"]["line"] == _line(project, "read_template, path")
    # the report is written for the gap report, which shows the offloads nothing protects
    assert (
        json.loads((project / ".blocking-io" / "teeth.json").read_text())["schema"]
        == "blocking-io/teeth/1"
    )
    gaps = _cli(project, "gaps", "--format", "markdown")
    assert "### Offload teeth check" in gaps.stdout
    assert "1 with teeth · 1 toothless · 1 unexercised" in gaps.stdout


def test_fail_on_and_one_site(project):
    site = f"src/svc/jobs.py:{_line(project, 'make_archive')}"
    done = _cli(project, "teeth", "--site", site, "--fail-on", "toothless")
    assert done.returncode == 1
    assert "1 toothless" in done.stdout
    fine = _cli(
        project,
        "teeth",
        "--site",
        f"src/svc/jobs.py:{_line(project, 'read_template, path')}",
        "--fail-on",
        "toothless",
    )
    assert fine.returncode == 0, fine.stdout + fine.stderr


def test_bad_inputs_are_one_line_errors(project, tmp_path):
    unknown = _cli(project, "teeth", "--site", "src/svc/jobs.py:1")
    assert unknown.returncode == 2
    assert "no offload of blocking work at src/svc/jobs.py:1" in unknown.stderr
    missing = _cli(project, "teeth", "--anchors", str(tmp_path / "none.json"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'none.json'}: report not found" in missing.stderr


def test_anchor_lint(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT.replace("exclude = []", 'exclude = []\noffload-functions = ["svc.io.run_io"]')
    )
    anchors = tmp_path / "tests" / "blocking_io"
    anchors.mkdir(parents=True)
    (anchors / "test_bad.py").write_text(
        textwrap.dedent("""\
        import asyncio
        import shutil
        from unittest import mock

        import pytest
        from svc import jobs
        from svc.jobs import read_template


        async def test_bypass(tmp_path):
            await asyncio.to_thread(read_template, tmp_path / "x")


        async def test_patches_the_machinery(monkeypatch):
            monkeypatch.setattr(asyncio, "to_thread", lambda f, *a: f(*a))
            with mock.patch("svc.io.run_io"), mock.patch("blocking_io.runtime_gate.gates.gate"):
                pass


        @pytest.mark.allow_blocking_io
        async def test_no_reason():
            pass


        async def test_fakes_a_primitive(monkeypatch):
            monkeypatch.setattr(shutil, "rmtree", lambda p: None)
    """)
    )
    (anchors / "test_good.py").write_text(
        textwrap.dedent("""\
        import asyncio

        import pytest
        from svc import jobs


        @pytest.mark.allow_blocking_io(reason="start-up only")
        async def test_fine(tmp_path):
            text = await asyncio.to_thread((tmp_path / "x").write_text, "x")
            await jobs.render(tmp_path / "x")
    """)
    )
    (anchors / "test_unrelated.py").write_text("def test_math():\n    assert 1 + 1 == 2\n")
    done = _cli(tmp_path, "anchor", "lint", "--format", "json")
    assert done.returncode == 1
    found = {(p["path"].rsplit("/", 1)[-1], p["code"]) for p in json.loads(done.stdout)}
    assert found == {
        ("test_bad.py", "BIOA01"),
        ("test_bad.py", "BIOA02"),
        ("test_bad.py", "BIOA03"),
        ("test_bad.py", "BIOA05"),
        ("test_unrelated.py", "BIOA04"),
    }
    patched = [p["message"] for p in json.loads(done.stdout) if p["code"] == "BIOA02"]
    assert sorted(patched) == [
        "patches `asyncio.to_thread`",
        "patches `blocking_io.runtime_gate.gates.gate`",
        "patches `svc.io.run_io`",
    ]
