"""The join rules on the real findings.json of the generated project, against anchors.json
files written exactly as the contract in DESIGN.md says (the runtime gate's side of the
contract; its real output is covered end to end in test_gaps_statuses.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from blocking_io.gap_report import PRECEDENCE, build_gaps, load_inputs
from blocking_io.shared_rules import load_config
from gap_project import ANCHOR, Project


def findings_by_function(project: Project) -> dict[str, dict[str, Any]]:
    report = json.loads((project.report_dir / "findings.json").read_text())
    return {f["function"]: f for f in report["findings"] if f["suppressed"] is None}


def functions(project: Project) -> dict[str, dict[str, Any]]:
    return json.loads((project.report_dir / "findings.json").read_text())["functions"]


def join(
    project: Project, anchors: dict[str, Any], tmp_path: Path
) -> dict[str, tuple[str, list[str], str]]:
    """function -> (status, anchors, detail) for `anchors` (the minimal contract keys only)."""
    path = tmp_path / "anchors.json"
    path.write_text(
        json.dumps({"schema": "blocking-io/anchors/2", "scanned_modules": ["svc"], **anchors})
    )
    config = load_config(cwd=project.path)
    inputs = load_inputs(project.report_dir / "findings.json", path, root=project.path)
    result = build_gaps(inputs, config.registry)
    return {e.finding.function: (e.label, list(e.anchors), e.detail) for e in result.entries}


def anchor(test: str, executed: dict[str, list[int]], outcome: str = "passed") -> dict[str, Any]:
    return {"test": test, "outcome": outcome, "executed": executed}


def test_precedence_is_documented_in_this_order() -> None:
    assert PRECEDENCE == ("failing", "runtime-blind", "guarded", "entry-anchored", "unguarded")


def test_no_anchors_at_all_leaves_everything_unguarded_except_the_blind(
    scenario: Project, tmp_path: Path
) -> None:
    verdicts = join(scenario, {"anchors": [], "violations": []}, tmp_path)

    assert {f: v[0] for f, v in verdicts.items()} == {
        "svc.handlers.load_settings": "unguarded",
        "svc.handlers.reload_settings": "unguarded",
        "svc.handlers.content_type": "runtime-blind",  # no anchor could guard it anyway
        "svc.handlers.count": "unguarded",
        "svc.handlers.cleanup": "unguarded",
        "svc.handlers.nap": "unguarded",
    }


def test_an_anchors_report_without_anchors_is_a_warning(scenario: Project) -> None:
    scenario_anchors = scenario.report_dir / "anchors.json"
    empty = json.loads(scenario_anchors.read_text()) | {"anchors": [], "violations": []}
    path = scenario.path / "empty-anchors.json"
    path.write_text(json.dumps(empty))
    try:
        done = scenario.gaps("--no-report", "--anchors", "empty-anchors.json")
    finally:
        path.unlink()

    assert done.returncode == 0
    assert (
        "blocking-io: warning: empty-anchors.json holds no anchors: no test ran under the gate"
        in done.stderr
    )


def test_the_def_line_alone_does_not_anchor_an_entry_point(
    scenario: Project, tmp_path: Path
) -> None:
    # Importing a module during a test executes its `def` lines, not the bodies.
    nap = functions(scenario)["svc.handlers.nap"]
    start, end = nap["span"]
    only_def = join(
        scenario,
        {"anchors": [anchor("t::imports", {"src/svc/handlers.py": [start]})], "violations": []},
        tmp_path,
    )
    body = join(
        scenario,
        {"anchors": [anchor("t::calls", {"src/svc/handlers.py": [end]})], "violations": []},
        tmp_path,
    )

    assert only_def["svc.handlers.nap"][0] == "unguarded"
    line = findings_by_function(scenario)["svc.handlers.nap"]["line"]
    assert end == line  # nap's body is the sleep: running it is running the line
    assert body["svc.handlers.nap"][:2] == ("guarded", ["t::calls"])


def test_entry_anchored_when_the_body_ran_but_not_the_line(
    scenario: Project, tmp_path: Path
) -> None:
    cleanup = functions(scenario)["svc.handlers.cleanup"]
    finding = findings_by_function(scenario)["svc.handlers.cleanup"]
    body = [
        n for n in range(cleanup["span"][0] + 1, cleanup["span"][1] + 1) if n != finding["line"]
    ]

    verdicts = join(
        scenario,
        {"anchors": [anchor("t::happy", {"src/svc/handlers.py": body})], "violations": []},
        tmp_path,
    )

    status, anchors, detail = verdicts["svc.handlers.cleanup"]
    assert (status, anchors) == ("entry-anchored", ["t::happy"])
    assert "add a case for this branch" in detail


def test_a_line_that_ran_only_in_a_failing_anchor_is_not_guarded(
    scenario: Project, tmp_path: Path
) -> None:
    finding = findings_by_function(scenario)["svc.handlers.count"]
    verdicts = join(
        scenario,
        {
            "anchors": [anchor("t::red", {"src/svc/handlers.py": [finding["line"]]}, "failed")],
            "violations": [],
        },
        tmp_path,
    )

    status, anchors, detail = verdicts["svc.handlers.count"]
    assert (status, anchors) == ("entry-anchored", ["t::red"])
    assert "only in failing anchors" in detail


def test_violation_matching_needs_the_rule_or_the_primitive(
    scenario: Project, tmp_path: Path
) -> None:
    finding = findings_by_function(scenario)["svc.handlers.load_settings"]
    site = finding["chain"][-1]  # inside storage.read_settings
    executed = {"src/svc/handlers.py": [finding["line"]], site["path"]: [site["line"]]}

    def violation(rule: str, symbol: str) -> dict[str, Any]:
        return {
            "test": "t::a",
            "rule": rule,
            "symbol": symbol,
            "path": site["path"],
            "line": site["line"],
            "function": "read_settings",
            "swallowed": False,
        }

    for rule, symbol, expected in (
        ("BIO101", "builtins.open", "failing"),  # same rule and primitive
        ("BIO101", "io.open", "failing"),  # same rule, another of its targets
        ("BIO999", "builtins.open", "failing"),  # the primitive, whatever the rule id says
        ("BIO105", "io.IOBase.write", "guarded"),  # something else at that line: not this one
    ):
        verdicts = join(
            scenario,
            {
                "anchors": [
                    anchor("t::a", executed, "failed" if expected == "failing" else "passed")
                ],
                "violations": [violation(rule, symbol)],
            },
            tmp_path,
        )
        assert verdicts["svc.handlers.load_settings"][0] == expected, (rule, symbol)


def test_a_violation_of_a_test_without_recorded_lines_matches_by_site(
    scenario: Project, tmp_path: Path
) -> None:
    # Some recorders see no lines (e.g. files coverage.py does not measure): trust the site.
    finding = findings_by_function(scenario)["svc.handlers.load_settings"]
    site = finding["chain"][-1]
    verdicts = join(
        scenario,
        {
            "anchors": [anchor("t::a", {}, "failed")],
            "violations": [
                {
                    "test": "t::a",
                    "rule": "BIO101",
                    "symbol": "builtins.open",
                    "path": site["path"],
                    "line": site["line"],
                    "function": "read_settings",
                    "swallowed": True,
                }
            ],
        },
        tmp_path,
    )

    # Both entry points reach the helper and nothing says which ran: both are failing.
    assert verdicts["svc.handlers.load_settings"][:2] == ("failing", ["t::a"])
    assert verdicts["svc.handlers.reload_settings"][:2] == ("failing", ["t::a"])


def test_failing_beats_runtime_blind_and_guarded(scenario: Project, tmp_path: Path) -> None:
    finding = findings_by_function(scenario)["svc.handlers.content_type"]
    line = finding["line"]
    passing = anchor("t::ok", {"src/svc/handlers.py": [line]})
    caught = {
        "test": "t::bad",
        "rule": "BIO116",
        "symbol": "mimetypes.guess_type",
        "path": "src/svc/handlers.py",
        "line": line,
        "function": "content_type",
        "swallowed": False,
    }

    blind = join(scenario, {"anchors": [passing], "violations": []}, tmp_path)
    both = join(
        scenario,
        {
            "anchors": [passing, anchor("t::bad", {"src/svc/handlers.py": [line]}, "failed")],
            "violations": [caught],
        },
        tmp_path,
    )

    assert blind["svc.handlers.content_type"][:2] == ("runtime-blind", ["t::ok"])
    assert "which proves nothing" in blind["svc.handlers.content_type"][2]
    assert both["svc.handlers.content_type"][:2] == ("failing", ["t::bad"])


@pytest.mark.parametrize("outcome", ["passed", "failed"])
def test_anchors_from_the_real_gate_and_from_the_contract_agree(
    scenario: Project, tmp_path: Path, outcome: str
) -> None:
    # The real anchors.json carries extra keys (tool, root, rules_hash, files); the join
    # needs only the contract's. Strip them and the verdicts stay the same.
    real = json.loads((scenario.report_dir / "anchors.json").read_text())
    minimal = {"anchors": real["anchors"], "violations": real["violations"]}
    verdicts = join(scenario, minimal, tmp_path)

    assert verdicts["svc.handlers.load_settings"][:2] == (
        "failing",
        [ANCHOR + "test_load_settings"],
    )
    assert verdicts["svc.handlers.count"][0] == "guarded"
    if outcome == "failed":  # the same run with test_count red: its line no longer guards
        for a in minimal["anchors"]:
            if a["test"].endswith("test_count"):
                a["outcome"] = "failed"
        assert join(scenario, minimal, tmp_path)["svc.handlers.count"][0] == "entry-anchored"
