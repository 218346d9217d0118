"""`--refresh`: re-run the static side before joining.

Runs `blocking-io detect` as a subprocess (the CLI is the contract, so the gap report
stays independent of the detector's internals) and writes its JSON report to the findings
path the join reads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from blocking_io.shared_rules.errors import InputError


def detect_command() -> list[str]:
    """The `blocking-io` console script of this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / ("blocking-io.exe" if os.name == "nt" else "blocking-io")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("blocking-io")
    if found:
        return [found]
    return [sys.executable, "-c", "from blocking_io.cli.app import main; main()"]


def refresh_findings(findings_path: Path, *, cwd: Path, config: Path | None) -> None:
    """Re-scan with the project's configured paths; the report lands at `findings_path`."""
    # --no-report: the one report written is the one the join reads (--output)
    args = [*detect_command(), "detect", "--format", "json", "--exit-zero", "--no-report"]
    args += ["--output", str(findings_path)]
    if config is not None:
        args += ["--config", str(config)]
    before = _identity(findings_path)
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise InputError(f"--refresh: cannot run `blocking-io detect`: {exc}") from None
    if done.returncode == 0:
        return
    lines = [_unprefixed(line) for line in done.stderr.splitlines() if line.strip()]
    if done.returncode == 2 and _identity(findings_path) not in (None, before):
        # Some files could not be analysed; the report of the rest was still written.
        if lines:
            sys.stderr.write(f"blocking-io: warning: --refresh: {lines[-1]}\n")
        return
    reason = lines[-1] if lines else f"exit code {done.returncode}"
    raise InputError(f"--refresh: `blocking-io detect` failed: {reason}")


def _identity(path: Path) -> tuple[int, int] | None:
    """Changes when the file is replaced (atomic writes make a new inode)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def _unprefixed(line: str) -> str:
    """detect's `blocking-io: error: ...` without the prefix we add again."""
    for prefix in ("blocking-io: error: ", "blocking-io: warning: ", "blocking-io: "):
        if line.startswith(prefix):
            return line[len(prefix) :]
    return line
