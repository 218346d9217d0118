"""Every rule's documented `example` is caught by the static detector, its `example_fix` is not.

The snippets are shown by `blocking-io rules BIOxxx` and in docs/rules.md: each one is written
as the only module of a small project and scanned for real, with every rule enabled (opt-in
ones included). The example must report a finding of its own rule (other rules may ride
along: opening a file to `json.load` it is also BIO101); the fix must report nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from blocking_io.shared_rules import builtin_registry, load_config
from blocking_io.shared_rules.models import Rule
from blocking_io.shared_rules.reports import FindingsReport
from blocking_io.static_detector.scan import scan

RULES = {rule.id: rule for rule in builtin_registry().all_rules}

# Examples the detector cannot see yet, for a reason of the detector (not of the example).
DETECTOR_GAPS: dict[str, str] = {}


def _scan(tmp_path: Path, source: str) -> FindingsReport:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.blocking-io]\nexclude = []\nselect = ["ALL"]\n', encoding="utf-8"
    )
    (tmp_path / "example.py").write_text(source, encoding="utf-8")
    config = load_config(tmp_path / "pyproject.toml")
    return scan(config, None, jobs=1, use_cache=False).report


def _describe(report: FindingsReport) -> list[str]:
    return [
        f"{f.line}: {f.rule} {f.message}{' (suppressed)' if f.suppressed else ''}"
        for f in report.findings
    ]


def _example_params() -> list[object]:
    params: list[object] = []
    for rule_id in RULES:
        marks = []
        if rule_id in DETECTOR_GAPS:
            marks.append(pytest.mark.xfail(reason=DETECTOR_GAPS[rule_id], strict=True))
        params.append(pytest.param(rule_id, marks=marks, id=rule_id))
    return params


def test_every_rule_has_an_example_and_a_fix():
    missing = [
        f"{rule.id}.{field}"
        for rule in RULES.values()
        for field in ("example", "example_fix")
        if not getattr(rule, field).strip()
    ]
    assert not missing, missing


@pytest.mark.parametrize("rule_id", _example_params())
def test_example_is_detected(tmp_path, rule_id):
    rule: Rule = RULES[rule_id]
    report = _scan(tmp_path, rule.example)
    assert not report.errors, report.errors
    # or listed on the finding of the call that made its object (`fh.write` after `open`)
    own = [
        f
        for f in report.findings
        if f.suppressed is None and rule_id in {f.rule, *(a.rule for a in f.also)}
    ]
    assert own, f"{rule_id}'s example reports no {rule_id} finding: {_describe(report)}"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_example_fix_is_clean(tmp_path, rule_id):
    rule: Rule = RULES[rule_id]
    report = _scan(tmp_path, rule.example_fix)
    assert not report.errors, report.errors
    # A fix may acknowledge a call the detector cannot judge (BIO116: mimetypes initialised at
    # start-up) with a suppression of the rule itself; anything else is a finding.
    reported = [f for f in report.findings if f.suppressed is None or f.rule != rule_id]
    assert not reported, f"{rule_id}'s fix is not clean: {_describe(report)}"
