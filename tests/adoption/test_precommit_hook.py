"""The pre-commit hooks of `.pre-commit-hooks.yaml`, through `pre-commit try-repo` in a
real git repository: pre-commit builds blocking-io from this repository into its own
virtualenv (a real, non-editable install) and runs the hook on staged changes."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from adoption_support import BIN, REPO, clean_env, write

pytestmark = pytest.mark.slow  # pre-commit installs blocking-io and its dependencies

CONFIG = """
    [tool.blocking-io]
    source-roots = ["."]
    include = ["app"]
    scanned-modules = ["app"]
"""


def git(root, *args) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", *args],
        cwd=root, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def hook_repository(tmp_path) -> tuple[str, str]:
    """(repository, rev) for try-repo: this repository at HEAD when the working tree is
    committed (CI's fresh clone); otherwise a committed copy of the working tree, so the
    test exercises the files as they are now."""
    status = git(REPO, "status", "--porcelain", "--untracked-files=normal")
    if not status:
        return str(REPO), git(REPO, "rev-parse", "HEAD")
    copy = tmp_path / "blocking-io"
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / rel)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "working tree")
    return str(copy), git(copy, "rev-parse", "HEAD")


def try_repo(project, repository, rev, home, *args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", repository, *args, "--ref", rev, "--color", "never"],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env=clean_env(PRE_COMMIT_HOME=str(home)),
    )  # fmt: skip


def pre_commit(project, home, *args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pre-commit"), *args, "--color", "never"] if args[0] == "run"
        else [str(BIN / "pre-commit"), *args],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env=clean_env(PRE_COMMIT_HOME=str(home)),
    )  # fmt: skip


def commit(project, home, message) -> subprocess.CompletedProcess[str]:
    """`git commit` through the installed git hook (pre-commit must be on PATH for it)."""
    return subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-m", message],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env=clean_env(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never"),
    )  # fmt: skip


def test_the_hook_reports_what_a_commit_changes_and_nothing_else(tmp_path):
    repository, rev = hook_repository(tmp_path)
    home = tmp_path / "pre-commit-home"
    project = tmp_path / "service"
    write(
        project,
        {
            "pyproject.toml": CONFIG,
            "app/__init__.py": "",
            # blocking code that is already committed: not this commit's business
            "app/legacy.py": "import time\n\n\nasync def old():\n    time.sleep(1)\n",
            "app/api.py": "async def ping():\n    return 'pong'\n",
        },
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "service")

    # try-repo, as a hook author tries a hook: a change that blocks the loop fails,
    # naming it, and only it (app/legacy.py is committed and untouched)
    write(project, {"app/api.py": "import os\n\n\nasync def ping():\n    return os.listdir('.')\n"})
    git(project, "add", "app/api.py")
    blocking = try_repo(project, repository, rev, home, "blocking-io")
    assert blocking.returncode == 1, blocking.stdout + blocking.stderr
    assert "Failed" in blocking.stdout
    assert "app/api.py:5:12: BIO108" in blocking.stdout
    assert "legacy.py" not in blocking.stdout
    assert "Found 1 finding" in blocking.stdout

    # as a team uses it: the config in the repository, the git hook installed
    config = (
        f"repos:\n  - repo: {repository}\n    rev: {rev}\n    hooks:\n"
        "      - id: blocking-io\n      - id: blocking-io-all\n"
    )
    write(project, {".pre-commit-config.yaml": config})
    git(project, "add", ".pre-commit-config.yaml")
    assert pre_commit(project, home, "install").returncode == 0
    refused = commit(project, home, "list the directory")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "app/api.py:5:12: BIO108" in refused.stdout + refused.stderr
    assert git(project, "rev-list", "--count", "HEAD") == "1"  # nothing was committed

    write(project, {"app/api.py": "async def ping():\n    return 'pong!'\n"})
    git(project, "add", "app/api.py")
    accepted = commit(project, home, "a clean change")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(project, "rev-list", "--count", "HEAD") == "2"

    idle = pre_commit(project, home, "run", "blocking-io")  # nothing staged
    assert idle.returncode == 0, idle.stdout + idle.stderr
    assert "(no files to check)Skipped" in idle.stdout

    # the whole-project hook (manual stage) reports the legacy finding
    everything = pre_commit(
        project, home, "run", "blocking-io-all", "--all-files", "--hook-stage", "manual"
    )
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "app/legacy.py:5:5: BIO301" in everything.stdout

    # the package pre-commit built is a real install: `init` finds its templates there too
    installed = sorted(home.glob("repo*/py_env-*/bin/blocking-io"))
    assert installed, sorted(p.name for p in home.iterdir())
    fresh = tmp_path / "fresh"
    write(fresh, {"src/fresh/__init__.py": "async def hello():\n    return 1\n"})
    init = subprocess.run(
        [str(installed[0]), "init"], cwd=fresh, capture_output=True, text=True, check=False,
        env=clean_env(),
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    assert (
        (fresh / "tests/blocking_io/README.md").read_text("utf-8").startswith("# Runtime anchors")
    )
