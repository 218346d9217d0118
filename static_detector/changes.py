"""`--changed-since REV`: which lines changed since a git revision (plus untracked files)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from blocking_io.shared_rules import InputError
from blocking_io.shared_rules.reports import Finding

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")

WHOLE_FILE = frozenset({-1})


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise InputError("--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise InputError(f"--changed-since: git {' '.join(args[:2])}: {detail}", root)
    return done.stdout


def changed_lines(root: Path, rev: str) -> dict[str, frozenset[int]]:
    """path (relative to `root`, posix) -> changed line numbers in the working tree.

    Untracked files count as wholly changed (WHOLE_FILE)."""
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except InputError as exc:
        if "not a git repository" not in str(exc):
            raise
        raise InputError(
            "--changed-since needs a git repository; this is not inside one", root
        ) from None
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except InputError:
        raise InputError(f"--changed-since: unknown git revision {rev!r}", root) from None
    diff = _git(root, "diff", "--unified=0", "--no-color", "--no-ext-diff", rev, "--", ".")
    out: dict[str, set[int]] = {}
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else _relative(top / name[2:], root)
        elif current is not None:
            match = HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                out.setdefault(current, set()).update(range(start, start + max(count, 1)))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", ".")
    result = {path: frozenset(lines) for path, lines in out.items()}
    for name in untracked.splitlines():  # ls-files prints paths relative to the cwd
        result[_relative(root / name, root)] = WHOLE_FILE
    return result


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def touches_change(finding: Finding, changed: dict[str, frozenset[int]]) -> bool:
    """A finding is "changed" if any place on its chain changed: the loop-side call, a helper
    call on the way, or the primitive. That includes findings an edit made newly reachable
    (an unchanged handler now reaching a primitive added to a helper)."""
    places = [(finding.path, finding.line), *((s.path, s.line) for s in finding.chain)]
    for path, line in places:
        lines = changed.get(path)
        if lines is not None and (lines is WHOLE_FILE or line in lines):
            return True
    return False
