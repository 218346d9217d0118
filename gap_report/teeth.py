"""Teeth check: does an anchor go red when an offload is reverted?

For every offload site the static side lists (findings.json `offloads`) whose work reaches a
blocking primitive, the anchors that executed that line (anchors.json) are run again with
the runtime gate told to run that one site's function inline on the loop
(`--blocking-io-revert-offload=PATH:LINE`). Outcomes:

- has-teeth:   an anchor failed with a recorded violation: reverting the offload is caught;
- toothless:   anchors ran the reverted site and stayed green (the primitive is
               runtime-blind, or the anchor mocks it away): the offload is unprotected;
- unexercised: no anchor executes the site at all.

Only the anchors that executed a site are re-run, so the cost grows with the number of
sites, not sites x tests; sites run in parallel processes (`jobs`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from blocking_io.shared_rules import InputError
from blocking_io.shared_rules.reports import (
    AnchorsReport,
    FindingsReport,
    Offload,
    TeethReport,
    TeethSite,
    ToolInfo,
    load_report,
)

from blocking_io import __version__

FAILED = ("failed", "error")


@dataclass(frozen=True)
class Planned:
    offload: Offload
    anchors: tuple[str, ...]  # tests that executed the site's line

    @property
    def site(self) -> str:
        return f"{self.offload.path}:{self.offload.line}"


def plan(findings: FindingsReport, anchors: AnchorsReport) -> list[Planned]:
    """Offloads of blocking work, each with the anchors whose executed lines include it."""
    out = []
    for offload in sorted(findings.offloads, key=lambda o: (o.path, o.line, o.column)):
        if not offload.reaches:
            continue  # nothing blocking is offloaded there: reverting it proves nothing
        lines = {offload.line, offload.statement_line or offload.line}
        ran = tuple(
            sorted(a.test for a in anchors.anchors if lines & set(a.executed.get(offload.path, ())))
        )
        out.append(Planned(offload, ran))
    return out


def run_site(
    planned: Planned,
    root: Path,
    *,
    python: str = sys.executable,
    pytest_args: tuple[str, ...] = (),
    timeout: float = 600,
) -> TeethSite:
    """Re-run the site's anchors with the site reverted; classify from the anchors report."""
    offload = planned.offload
    if not planned.anchors:
        return _site(offload, "unexercised", [])
    with tempfile.TemporaryDirectory(prefix="blocking-io-teeth-") as tmp:
        report_path = Path(tmp) / "anchors.json"
        command = [
            python, "-m", "pytest", *planned.anchors, "-q", "-p", "no:cacheprovider",
            "--no-header", f"--blocking-io-revert-offload={planned.site}",
            f"--blocking-io-report={report_path}", *pytest_args,
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, cwd=root, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise InputError(
                f"teeth: the anchors for {planned.site} ran longer than {timeout:.0f} s"
            ) from None
        if not report_path.exists():
            tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
            raise InputError(f"teeth: pytest wrote no anchors report for {planned.site}: {tail[0]}")
        rerun = load_report(report_path, AnchorsReport)
    if rerun.incomplete:  # a verdict from the anchors that did report would be a guess
        reasons = "; ".join(m.reason for m in rerun.incomplete)
        raise InputError(f"teeth: the anchors run for {planned.site} lost results ({reasons})")
    inline = rerun.reverted.get(planned.site, [])
    if not inline:
        return _site(offload, "unexercised", [])
    violated = {v.test for v in rerun.violations}
    red = sorted(a.test for a in rerun.anchors if a.outcome in FAILED and a.test in violated)
    if red:
        return _site(offload, "has-teeth", red)
    return _site(offload, "toothless", sorted(inline))


def _site(offload: Offload, outcome: str, anchors: list[str]) -> TeethSite:
    return TeethSite(
        fingerprint=offload.fingerprint,
        path=offload.path,
        line=offload.line,
        function=offload.function,
        api=offload.api,
        target=offload.target,
        reaches=offload.reaches,
        outcome=outcome,  # type: ignore[arg-type]
        anchors=anchors,
    )


def check_teeth(
    findings_path: Path,
    anchors_path: Path,
    root: Path,
    *,
    jobs: int = 2,
    only: tuple[str, ...] = (),
    pytest_args: tuple[str, ...] = (),
    progress: Callable[[TeethSite], None] | None = None,
) -> TeethReport:
    started = time.perf_counter()
    findings = load_report(findings_path, FindingsReport)
    anchors = load_report(anchors_path, AnchorsReport)
    if anchors.incomplete:  # sites only the lost anchors ran would look unexercised
        reasons = "; ".join(m.reason for m in anchors.incomplete)
        raise InputError(
            f"the anchors report is incomplete ({reasons}); run the anchors again", anchors_path
        )
    planned = plan(findings, anchors)
    if only:
        planned = [p for p in planned if p.site in only]
        missing = set(only) - {p.site for p in planned}
        if missing:
            raise InputError(
                f"teeth: no offload of blocking work at {', '.join(sorted(missing))} in {findings_path}"
            )

    def one(item: Planned) -> TeethSite:
        result = run_site(item, root, pytest_args=pytest_args)
        if progress:
            progress(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        sites = list(pool.map(one, planned))
    return TeethReport(
        schema="blocking-io/teeth/1",
        tool=ToolInfo(version=__version__),
        sites=sites,
        seconds=round(time.perf_counter() - started, 3),
    )
