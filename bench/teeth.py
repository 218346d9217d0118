"""Teeth: what `blocking-io teeth` costs on the embedded target, and how it grows with the
number of offload sites checked (the first N sites, then all, 2 workers; all with 1)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from .detector import detector_command
from .measure import run_measured

ROOT = Path(__file__).resolve().parent.parent
SUBSETS = (1, 4, 8)  # then every site


@dataclass
class TeethRun:
    sites: int  # offload sites checked
    exercised: int  # sites some anchor runs (has-teeth + toothless)
    jobs: int
    seconds: float
    outcomes: dict[str, int]
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def measure_teeth(work: Path, timeout: float, quick: bool = False) -> list[TeethRun]:
    out = work / "teeth"
    out.mkdir(parents=True, exist_ok=True)
    findings, anchors = out / "findings.json", out / "anchors.json"
    cli = detector_command()
    detect = run_measured(
        [*cli, "detect", "--format", "json", "--exit-zero", "--output", str(findings)],
        cwd=ROOT,
        timeout=timeout,
    )
    if detect.returncode != 0:
        return [TeethRun(0, 0, 0, 0.0, {}, f"detect exited {detect.returncode}")]
    record = run_measured(
        [sys.executable, "-m", "pytest", "tests/blocking_io", "-q", "-p", "no:cacheprovider",
         f"--blocking-io-report={anchors}"],
        cwd=ROOT,
        timeout=timeout,
    )  # fmt: skip
    if record.returncode != 0:
        return [TeethRun(0, 0, 0, 0.0, {}, f"the anchor run exited {record.returncode}")]
    report = json.loads(findings.read_text(encoding="utf-8"))
    # offloads of blocking work only: `teeth` checks nothing else (and refuses other sites)
    sites = sorted({f"{o['path']}:{o['line']}" for o in report["offloads"] if o["reaches"]})
    sizes = [1] if quick else [n for n in SUBSETS if n < len(sites)] + [len(sites)]
    plan = [(n, 2) for n in sizes] + ([] if quick else [(len(sites), 1)])
    runs = []
    for count, jobs in plan:
        output = out / f"teeth-{count}-{jobs}.json"
        chosen = [arg for site in sites[:count] for arg in ("--site", site)]
        done = run_measured(
            [*cli, "teeth", "--findings", str(findings), "--anchors", str(anchors), *chosen,
             "--jobs", str(jobs), "--format", "json", "--output", str(output)],
            cwd=ROOT,
            timeout=timeout,
        )  # fmt: skip
        if done.returncode not in (0, 1) or not output.exists():
            error = done.error or f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
            runs.append(TeethRun(count, 0, jobs, done.seconds, {}, error))
            continue
        outcomes: dict[str, int] = {}
        checked = json.loads(output.read_text(encoding="utf-8"))["sites"]
        for site in checked:
            outcomes[site["outcome"]] = outcomes.get(site["outcome"], 0) + 1
        exercised = outcomes.get("has-teeth", 0) + outcomes.get("toothless", 0)
        # one path:line can hold two offloads: count what was checked
        runs.append(
            TeethRun(len(checked), exercised, jobs, done.seconds, dict(sorted(outcomes.items())))
        )
    return runs
