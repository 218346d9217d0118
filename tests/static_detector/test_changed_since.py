"""`detect --changed-since REV` in a real git repository: findings whose call chain touches
a change are reported (also when the change is in a helper of an unchanged async caller),
untouched findings are not; a bad revision or no repository is one clear error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from detect_support import (
    APP_FINDINGS,
    assert_clean_stderr,
    detect,
    keys,
    make_project,
    parsed,
    report_of,
    write,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SLOW = ("app/handlers.py", "app.handlers.slow", "BIO301")
FINE = ("app/handlers.py", "app.handlers.fine", "BIO301")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def repo(root: Path, files: dict[str, str] | None = None) -> Path:
    make_project(root, files)
    (root / ".gitignore").write_text(".blocking-io/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def changed(root: Path, *args: str) -> set[tuple[str, str, str]]:
    done = detect(root, "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return keys(parsed(done.stdout))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_reports_nothing_but_the_full_report_is_written(tmp_path):
    repo(tmp_path)
    done = detect(tmp_path, "--changed-since", "HEAD")
    assert done.returncode == 0, done.stdout
    assert keys(report_of(tmp_path)) == APP_FINDINGS  # findings.json is the whole scan


def test_a_finding_in_changed_code_is_reported_and_untouched_ones_are_not(tmp_path):
    repo(tmp_path)
    handlers = tmp_path / "app" / "handlers.py"
    edit(handlers, "async def fine(value):\n", "async def fine(value):\n    time.sleep(value)\n")
    assert changed(tmp_path, "--changed-since", "HEAD") == {FINE}
    assert changed(tmp_path) == APP_FINDINGS | {FINE}  # without the option: everything


def test_a_finding_made_reachable_by_a_helper_change_in_another_module_is_reported(tmp_path):
    repo(tmp_path)
    # the async caller `fine` in handlers.py is unchanged; its helper starts blocking
    edit(
        tmp_path / "app" / "helpers.py",
        "    return value * 2\n",
        "    time.sleep(value)\n    return value * 2\n",
    )
    git(tmp_path, "commit", "-q", "-am", "helper sleeps")
    assert changed(tmp_path, "--changed-since", "HEAD~1") == {FINE}
    assert changed(tmp_path, "--changed-since", "HEAD") == set()  # committed: not new since HEAD


def test_a_change_to_an_unrelated_line_of_a_file_with_findings_reports_nothing(tmp_path):
    repo(tmp_path)
    edit(
        tmp_path / "app" / "handlers.py",
        "async def fine(value):\n",
        "async def fine(value):\n    value += 1\n",
    )
    edit(tmp_path / "app" / "helpers.py", "import os\n", '"""Helpers."""\n\nimport os\n')
    done = detect(tmp_path, "--changed-since", "HEAD")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("No findings")


def test_an_untracked_new_module_counts_as_changed(tmp_path):
    repo(tmp_path)
    write(tmp_path, {"app/jobs.py": "import time\n\nasync def nightly():\n    time.sleep(60)\n"})
    assert changed(tmp_path, "--changed-since", "HEAD") == {
        ("app/jobs.py", "app.jobs.nightly", "BIO301")
    }


def test_a_branch_name_works_as_the_revision(tmp_path):
    repo(tmp_path)
    git(tmp_path, "checkout", "-q", "-b", "feature")
    edit(
        tmp_path / "app" / "helpers.py",
        "def pause():\n    time.sleep(0.1)\n",
        "def pause():\n    time.sleep(0.2)\n",
    )
    git(tmp_path, "commit", "-q", "-am", "longer pause")
    assert changed(tmp_path, "--changed-since", "main") == {SLOW}


def test_a_project_in_a_subdirectory_of_the_repository(tmp_path):
    make_project(tmp_path / "service")
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / ".gitignore").write_text(".blocking-io/\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    edit(
        tmp_path / "service" / "app" / "helpers.py",
        "    return value * 2\n",
        "    time.sleep(value)\n    return value * 2\n",
    )
    assert changed(tmp_path / "service", "--changed-since", "HEAD") == {FINE}


def test_a_bad_revision_is_exit_2_with_one_line(tmp_path):
    repo(tmp_path)
    done = detect(tmp_path, "--changed-since", "no-such-branch")
    assert done.returncode == 2
    assert_clean_stderr(done)
    (line,) = done.stderr.strip().splitlines()
    assert "unknown git revision 'no-such-branch'" in line
    assert not (tmp_path / ".blocking-io").exists()  # failed before scanning


def test_outside_a_git_repository_is_exit_2_with_one_line(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--changed-since", "HEAD")
    assert done.returncode == 2
    assert_clean_stderr(done)
    (line,) = done.stderr.strip().splitlines()
    assert "needs a git repository" in line and str(tmp_path) in line
