"""End to end: real findings.json (blocking-io detect) joined with a real anchors.json (pytest
under the runtime gate) by `blocking-io gaps`, one finding of each status."""

from __future__ import annotations

import json

from blocking_io.shared_rules.reports import GapsReport, parse_report
from gap_project import ANCHOR, EXPECTED, Project, cli, statuses


def test_every_status_on_a_generated_project(scenario: Project) -> None:
    gaps = scenario.gaps_json("--no-report")

    assert statuses(gaps) == EXPECTED
    summary = gaps["summary"]
    assert {k: summary[k] for k in EXPECTED.values()} == {
        "failing": 1,
        "unguarded": 2,
        "runtime-blind": 1,
        "guarded": 1,
        "entry-anchored": 1,
    }
    assert summary["findings"] == 6
    assert summary["suppressed"] == 1  # `exists`: not classified, not listed
    assert "svc.handlers.exists" not in statuses(gaps)
    assert summary["anchors"] == 6 and summary["violations"] == 2


def test_each_status_names_the_anchors_behind_it(scenario: Project) -> None:
    gaps = scenario.gaps_json("--no-report")
    anchors = {f["function"]: f["anchors"] for f in gaps["findings"]}

    assert anchors["svc.handlers.load_settings"] == [ANCHOR + "test_load_settings"]  # caught it
    assert anchors["svc.handlers.count"] == [ANCHOR + "test_count"]  # ran the line, passed
    assert anchors["svc.handlers.content_type"] == [ANCHOR + "test_content_type"]  # ran, blind
    assert anchors["svc.handlers.cleanup"] == [ANCHOR + "test_cleanup_keeps_the_file"]  # entry
    assert anchors["svc.handlers.nap"] == []


def test_a_violation_in_a_shared_helper_fails_only_the_entry_that_ran_it(scenario: Project) -> None:
    # load_settings and reload_settings both reach storage.read_settings; the gate caught
    # open() inside the helper while test_load_settings ran. Only load_settings is failing.
    gaps = scenario.gaps_json("--no-report")
    chains = {
        f["function"]: f
        for f in json.loads((scenario.report_dir / "findings.json").read_text())["findings"]
    }
    helper_site = chains["svc.handlers.reload_settings"]["chain"][-1]
    assert helper_site["path"] == "src/svc/storage.py"  # the violation's site is on both chains

    assert statuses(gaps)["svc.handlers.load_settings"] == "failing"
    assert statuses(gaps)["svc.handlers.reload_settings"] == "unguarded"


def test_suggested_anchors_rank_by_severity_weight_and_give_the_scaffold_command(
    scenario: Project,
) -> None:
    suggestions = scenario.gaps_json("--no-report")["suggested_anchors"]

    assert [(s["entrypoint"], s["score"], s["max_severity"]) for s in suggestions] == [
        ("svc.handlers.nap", 3, "high"),  # time.sleep: high
        ("svc.handlers.cleanup", 2, "medium"),  # tie on score: cleanup < reload_settings
        ("svc.handlers.reload_settings", 2, "medium"),
    ]
    nap, cleanup, _ = suggestions
    assert nap["command"] == "blocking-io anchor new svc.handlers.nap"
    assert (nap["path"], nap["line"]) == ("src/svc/handlers.py", 35)  # its def line
    assert (nap["unguarded"], nap["entry_anchored"]) == (1, 0)
    assert (cleanup["unguarded"], cleanup["entry_anchored"]) == (0, 1)  # add a case


def test_idle_anchors_and_violations_no_finding_explains(scenario: Project) -> None:
    gaps = scenario.gaps_json("--no-report")

    # test_double passes and reaches no finding: idle. test_sneaky reaches only a getattr'd
    # sleep the static side misses, and the gate fails it: failing, never idle
    assert gaps["idle_anchors"] == [ANCHOR + "test_double"]
    assert ANCHOR + "test_sneaky" in gaps["failing_anchors"]
    assert gaps["summary"]["failing_anchors"] == len(gaps["failing_anchors"])
    assert [(v["path"], v["line"], v["rule"], v["test"]) for v in gaps["unmatched_violations"]] == [
        ("src/svc/handlers.py", 45, "BIO301", ANCHOR + "test_sneaky")
    ]


def test_gaps_json_is_written_to_the_report_dir_valid_and_byte_identical(project: Project) -> None:
    first = project.gaps("--format", "terminal")
    assert first.returncode == 0, first.stderr
    written = (project.report_dir / "gaps.json").read_bytes()
    second = project.gaps_json("--no-report")

    report = parse_report(written, GapsReport, "gaps.json")
    assert report.schema_ == "blocking-io/gaps/1"
    assert json.loads(written) == second
    project.gaps("--format", "terminal")
    assert (project.report_dir / "gaps.json").read_bytes() == written  # deterministic
    assert first.stdout.endswith("Report: .blocking-io/gaps.json\n")


def test_output_file_and_no_report(project: Project) -> None:
    done = project.gaps("--format", "json", "--output", "out/gaps.json", "--no-report")

    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert statuses(json.loads((project.path / "out/gaps.json").read_text())) == EXPECTED
    assert not (project.report_dir / "gaps.json").exists()


def test_a_rerun_of_the_anchors_with_the_branch_covered_makes_it_guarded_not_failing(
    project: Project,
) -> None:
    # Negative case for "guarded": an anchor that drives the os.remove branch fails under
    # the gate, so the finding becomes failing, never guarded.
    project.write(
        "tests/blocking_io/test_branch.py",
        """\
        from svc import handlers


        async def test_cleanup_removes_a_broken_file(tmp_path):
            path = tmp_path / "f"
            path.write_text("x")
            assert await handlers.cleanup(path, broken=True) is True
        """,
    )
    project.anchors()

    gaps = project.gaps_json("--no-report")

    assert statuses(gaps)["svc.handlers.cleanup"] == "failing"
    cleanup = next(f for f in gaps["findings"] if f["function"] == "svc.handlers.cleanup")
    assert cleanup["anchors"] == [
        "tests/blocking_io/test_branch.py::test_cleanup_removes_a_broken_file"
    ]


def test_the_suggested_command_writes_the_anchor_that_closes_the_gap(project: Project) -> None:
    [first, *_] = project.gaps_json("--no-report")["suggested_anchors"]
    assert first["command"] == "blocking-io anchor new svc.handlers.nap"

    scaffold = project.run(*cli(), *first["command"].split()[1:])
    assert scaffold.returncode == 0, scaffold.stderr
    project.anchors()
    gaps = project.gaps_json("--no-report")

    # the new anchor drives nap on the loop: the gate catches time.sleep, nap is failing
    assert statuses(gaps)["svc.handlers.nap"] == "failing"
    assert "svc.handlers.nap" not in [s["entrypoint"] for s in gaps["suggested_anchors"]]
