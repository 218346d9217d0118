"""Real projects in tmp_path, `blocking-io` and `pytest` run as real processes, for the
adoption tests (init, anchor new, the pre-commit hook, the CI recipe, the docs)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no colour, a wide terminal, none of the outer
    pytest's (or xdist's) variables, this venv's tools first on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "COV_CORE_", "FORCE_COLOR")) and k != "PYTHONPATH"
    }
    env.update(NO_COLOR="1", COLUMNS="160", PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    env.update(extra)
    return env


def cli(*args: str | Path, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`blocking-io ARGS` as a real process in `cwd`: the console script users run."""
    return subprocess.run(
        [str(BIN / "blocking-io"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clean_env(),
        check=False,
    )


def run_pytest(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A user's `pytest ARGS` in the project (the blocking_io plugin loads by entry point)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=clean_env(),
        check=False,
    )


def assert_one_error_line(done: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2 with one `blocking-io: error: ...` line on stderr that says all `fragments`."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("blocking-io: error: "), lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (to prove that a refused command changed nothing)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".blocking-io" not in p.parts
    }
