"""Runtime: the embedded target's anchor suite without a gate, under a bare Blockbuster
context, under the blocking-io gate, and under the gate with anchor recording."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .measure import median, run_measured

ROOT = Path(__file__).resolve().parent.parent
ANCHORS = ROOT / "tests" / "blocking_io"
BASE = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]


@dataclass
class Mode:
    name: str
    args: list[str]
    shown: str  # the options as printed in the tables (no machine-specific paths)
    missing: str | None = None
    seconds: list[float] = field(default_factory=list)
    outcome: str = ""  # pytest's summary line, e.g. "17 passed, 1 deselected"
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "options": self.shown,
            "missing": self.missing,
            "seconds": self.seconds,
            "median": median(self.seconds) if self.seconds else None,
            "outcome": self.outcome,
            "error": self.error,
        }


def gate_missing() -> str | None:
    names = {ep.name for ep in importlib.metadata.entry_points(group="pytest11")}
    if "blocking_io" not in names:
        return "the blocking_io pytest plugin is not installed (pytest11 entry point)"
    proc = subprocess.run(
        [sys.executable, "-c", "import blocking_io.runtime_gate.plugin"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        return f"blocking_io.runtime_gate.plugin does not import: {lines[-1] if lines else 'error'}"
    return None


def report_option_missing() -> str | None:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if "--blocking-io-report" not in proc.stdout:
        return "pytest has no --blocking-io-report option (anchor recording not built yet)"
    return None


def anchors_missing(anchors: Path) -> str | None:
    if not anchors.is_dir() or not any(anchors.glob("test_*.py")):
        return f"no anchor tests in {anchors}"
    return None


def plan_modes(anchors: Path, report: Path) -> list[Mode]:
    suite = anchors_missing(anchors)
    gate = suite or gate_missing()
    recording = gate or report_option_missing()
    target = str(anchors)
    return [
        Mode("no gate", [target, "-p", "no:blocking_io"], "-p no:blocking_io", suite),
        Mode(
            "bare blockbuster_ctx()",
            [target, "-p", "no:blocking_io", "-p", "bench.blockbuster_plugin"],
            "-p no:blocking_io -p bench.blockbuster_plugin",
            suite,
        ),
        Mode("blocking-io gate", [target], "(the installed plugin)", gate),
        Mode(
            "gate + anchor recording",
            [target, f"--blocking-io-report={report}"],
            f"--blocking-io-report=<work>/{report.name}",
            recording,
        ),
    ]


_SUMMARY = re.compile(
    r"^=*\s*(\d+ (passed|failed|error|skipped|deselected|xfailed).*?)(?: in [\d.]+s.*)?=*$"
)


def _summary(stdout: str) -> str:
    for line in reversed(stdout.splitlines()):
        match = _SUMMARY.match(line.strip())
        if match:
            return match.group(1).strip()
    return ""


def measure(anchors: Path, work: Path, runs: int, timeout: float) -> list[Mode]:
    modes = plan_modes(anchors, work / "anchors.json")
    for mode in modes:
        if mode.missing:
            continue
        for _ in range(runs):
            outcome = run_measured([sys.executable, *BASE, *mode.args], cwd=ROOT, timeout=timeout)
            if outcome.error:
                mode.error = outcome.error
                break
            mode.outcome = _summary(outcome.stdout) or f"exit {outcome.returncode}"
            if outcome.returncode not in (0, 1):
                mode.error = f"pytest exited {outcome.returncode}: {mode.outcome}"
                break
            mode.seconds.append(outcome.seconds)
    return modes
