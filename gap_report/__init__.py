"""The coverage-gap report: which static findings a runtime anchor guards, and which not.

Reads the two sides only through their JSON contracts (`findings.json` from
`blocking-io detect`, `anchors.json` from `pytest --blocking-io-report`), so either side can
run alone, in another CI job. Imports `blocking_io.shared_rules` and nothing else of ours.

    from blocking_io.gap_report import build_gaps, load_inputs
    inputs = load_inputs(findings_path, anchors_path, root=project.root)
    result = build_gaps(inputs, project.registry)
    dump_report(result.report, project.report_dir / "gaps.json")
"""

from __future__ import annotations

from .ci import FailOn, parse_fail_on, tripped
from .entries import PRECEDENCE, GapResult
from .inputs import Inputs, load_inputs
from .join import build_gaps

__all__ = [
    "PRECEDENCE",
    "FailOn",
    "GapResult",
    "Inputs",
    "build_gaps",
    "load_inputs",
    "parse_fail_on",
    "tripped",
]
