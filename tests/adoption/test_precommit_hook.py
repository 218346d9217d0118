"""The pre-commit hooks of `.pre-commit-hooks.yaml` (issue 20, item 3), through `pre-commit
try-repo` in a real git repository: pre-commit builds blocking-io from this repository into
its own virtualenv (a real, non-editable install) and runs the hook as pre-commit's
conventions say: the files it passes decide what is reported (the whole program is still
analysed), `--all-files` checks everything, a repository without commits works, and nothing
is written where git sees it (the cache is in the user cache directory)."""

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


def hook_env(home, cache, **extra: str) -> dict[str, str]:
    """pre-commit's home, and the user cache directory (XDG_CACHE_HOME) in tmp_path."""
    return clean_env(PRE_COMMIT_HOME=str(home), XDG_CACHE_HOME=str(cache), **extra)


def try_repo(project, repository, rev, home, cache, *args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", repository, *args, "--ref", rev, "--color", "never"],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env=hook_env(home, cache),
    )  # fmt: skip


def pre_commit(project, home, cache, *args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pre-commit"), *args, "--color", "never"] if args[0] == "run"
        else [str(BIN / "pre-commit"), *args],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env=hook_env(home, cache),
    )  # fmt: skip


def commit(project, home, cache, message) -> subprocess.CompletedProcess[str]:
    """`git commit` through the installed git hook (pre-commit must be on PATH for it)."""
    return subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-m", message],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
        env=hook_env(home, cache, PRE_COMMIT_COLOR="never"),
    )  # fmt: skip


def git_status(project) -> list[str]:
    return sorted(git(project, "status", "--porcelain", "--untracked-files=all").splitlines())


def test_the_hook_follows_pre_commit_conventions(tmp_path):
    repository, rev = hook_repository(tmp_path)
    home = tmp_path / "pre-commit-home"
    cache = tmp_path / "user-cache"
    project = tmp_path / "service"
    write(
        project,
        {
            "pyproject.toml": CONFIG,
            "app/__init__.py": "",
            # blocking code of someone else's commit: not this commit's business
            "app/legacy.py": "import time\n\n\nasync def old():\n    time.sleep(1)\n",
            "app/util.py": "def helper():\n    return 'x'\n",
            "app/api.py": (
                "from app.util import helper\n\n\nasync def ping():\n    return helper()\n"
            ),
        },
    )
    git(project, "init", "-q")
    git(project, "add", "-A")

    # a repository without any commit: the hook runs on the staged files (all of them
    # here), names the blocking call and fails; no "unknown revision 'HEAD'"
    first = try_repo(project, repository, rev, home, cache, "blocking-io")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "app/legacy.py:5:5: BIO301" in first.stdout
    assert "HEAD" not in first.stdout + first.stderr
    assert "files were modified by this hook" not in first.stdout
    assert git_status(project) == [f"A  {p}" for p in sorted(
        ["pyproject.toml", "app/__init__.py", "app/legacy.py", "app/util.py", "app/api.py"]
    )]  # fmt: skip
    assert not (project / ".blocking-io").exists()  # nothing in the work tree
    assert list(cache.glob("blocking-io/service-*/cache/v*/summary/*/*.pickle"))

    git(project, "commit", "-q", "--no-verify", "-m", "service")

    # a commit that changes only the helper: the handler that calls it blocks now, and is
    # reported although its own file is unchanged (the whole program is analysed); the
    # legacy finding is not (its file was not passed)
    write(project, {"app/util.py": "import os\n\n\ndef helper():\n    return os.listdir('.')\n"})
    git(project, "add", "app/util.py")
    changed = try_repo(project, repository, rev, home, cache, "blocking-io")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "app/api.py:5:12: BIO108" in changed.stdout
    assert "legacy.py" not in changed.stdout
    assert "Found 1 finding" in changed.stdout
    assert git_status(project) == ["M  app/util.py"]

    # --all-files checks everything (what pre-commit.ci and a CI step run)
    everything = try_repo(project, repository, rev, home, cache, "blocking-io", "--all-files")
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "app/legacy.py:5:5: BIO301" in everything.stdout
    assert "app/api.py:5:12: BIO108" in everything.stdout
    assert "Found 2 findings" in everything.stdout

    # as a team uses it: the config in the repository, the git hook installed
    config = (
        f"repos:\n  - repo: {repository}\n    rev: {rev}\n    hooks:\n"
        "      - id: blocking-io\n      - id: blocking-io-all\n"
    )
    write(project, {".pre-commit-config.yaml": config})
    git(project, "add", ".pre-commit-config.yaml")
    assert pre_commit(project, home, cache, "install").returncode == 0
    refused = commit(project, home, cache, "list the directory")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "app/api.py:5:12: BIO108" in refused.stdout + refused.stderr
    assert git(project, "rev-list", "--count", "HEAD") == "1"  # nothing was committed

    write(project, {"app/util.py": "def helper():\n    return 'y'\n"})
    git(project, "add", "app/util.py")
    accepted = commit(project, home, cache, "a clean change")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(project, "rev-list", "--count", "HEAD") == "2"
    assert git_status(project) == []  # the hook left nothing behind

    idle = pre_commit(project, home, cache, "run", "blocking-io")  # nothing staged
    assert idle.returncode == 0, idle.stdout + idle.stderr
    assert "(no files to check)Skipped" in idle.stdout

    # the whole-project hook (manual stage) reports the legacy finding
    whole = pre_commit(project, home, cache, "run", "blocking-io-all", "--hook-stage", "manual")
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert "app/legacy.py:5:5: BIO301" in whole.stdout

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
