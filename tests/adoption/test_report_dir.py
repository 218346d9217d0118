"""The report directory ignores itself (issue 20, item 4): after `detect`, the runtime gate
and `gaps`, `git status` in the project shows nothing of `.blocking-io/`, without any line
in the project's .gitignore, and backup tools see a CACHEDIR.TAG; a `report-dir` that holds
the project's own files is left alone."""

from __future__ import annotations

import subprocess

from adoption_support import cli, run_pytest, write

SERVICE = {
    "pyproject.toml": """
        [tool.blocking-io]
        source-roots = ["src"]
        scanned-modules = ["svc"]
    """,
    "src/svc/__init__.py": "",
    "src/svc/api.py": """
        import time


        async def handler():
            time.sleep(0.01)


        async def fine():
            return 1
    """,
    "tests/blocking_io/test_fine.py": """
        import asyncio

        from svc.api import fine


        def test_fine():
            assert asyncio.run(fine()) == 1
    """,
}


def git_status(root) -> list[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return sorted(line[3:] for line in done.stdout.splitlines())


def test_reports_and_cache_never_show_up_in_git_status(tmp_path):
    write(tmp_path, SERVICE)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    before = git_status(tmp_path)
    assert not (tmp_path / ".gitignore").exists()

    assert cli("detect", cwd=tmp_path).returncode == 1  # findings.json and the cache
    gate = run_pytest(tmp_path, "tests/blocking_io", "--blocking-io-report")
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert cli("gaps", cwd=tmp_path).returncode == 0

    reports = tmp_path / ".blocking-io"
    assert {"findings.json", "anchors.json", "gaps.json", "cache"} <= {
        p.name for p in reports.iterdir()
    }
    assert list((reports / "cache").rglob("*.pickle"))
    assert git_status(tmp_path) == before  # nothing new for git
    assert (reports / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    tag = (reports / "CACHEDIR.TAG").read_text("utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_an_existing_report_dir_of_an_older_run_is_marked_on_the_next_run(tmp_path):
    write(tmp_path, SERVICE)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert cli("detect", cwd=tmp_path).returncode == 1
    for marker in (".gitignore", "CACHEDIR.TAG"):
        (tmp_path / ".blocking-io" / marker).unlink()
    assert ".blocking-io/findings.json" in git_status(tmp_path)

    assert cli("detect", "--no-cache", cwd=tmp_path).returncode == 1
    assert not [p for p in git_status(tmp_path) if p.startswith(".blocking-io")]


def test_a_report_dir_with_the_projects_own_files_is_not_hidden(tmp_path):
    write(tmp_path, SERVICE)
    write(
        tmp_path,
        {
            "pyproject.toml": SERVICE["pyproject.toml"] + 'report-dir = "ci"\n',
            "ci/pipeline.yml": "steps: []\n",
        },
    )
    assert cli("detect", cwd=tmp_path).returncode == 1
    assert (tmp_path / "ci" / "findings.json").is_file()
    assert not (tmp_path / "ci" / ".gitignore").exists()
    assert not (tmp_path / "ci" / "CACHEDIR.TAG").exists()
