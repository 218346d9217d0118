"""Anchors run in parallel (pytest-xdist): the gate merges the workers' parts into one
anchors.json, and the join gives the same verdicts as for a serial run."""

from __future__ import annotations

import json

from blocking_io.shared_rules.reports import AnchorsReport, load_report
from gap_project import ANCHOR, EXPECTED, Project, cli, statuses


def test_anchors_merged_across_xdist_workers_give_the_serial_verdicts(
    scenario: Project, project: Project
) -> None:
    done = project.anchors("-n", "2")
    assert "bringing up nodes" in done.stdout, done.stdout  # really ran on xdist workers

    merged = json.loads((project.report_dir / "anchors.json").read_text())
    serial = json.loads((scenario.report_dir / "anchors.json").read_text())
    assert [a["test"] for a in merged["anchors"]] == [a["test"] for a in serial["anchors"]]
    assert merged["anchors"] == serial["anchors"]  # same lines, whichever worker ran a test
    assert merged["violations"] == serial["violations"]

    parallel_gaps = project.gaps_json("--no-report")
    assert statuses(parallel_gaps) == EXPECTED
    assert parallel_gaps == scenario.gaps_json("--no-report")


# Eleven more anchors (17 in all), one of which kills the worker process that runs it.
MORE_ANCHORS = (
    "import os\n\nfrom svc import handlers\nfrom svc.storage import Counter\n\n"
    + "".join(
        f"\n\nasync def test_count_{i}():\n    assert await handlers.count(Counter()) == 1\n"
        for i in range(10)
    )
    + "\n\ndef test_crash():\n    os._exit(3)  # a segfault, the OOM killer: the worker is gone\n"
)
CRASH = "tests/blocking_io/test_more.py::test_crash"


def test_a_crashed_xdist_worker_makes_the_report_incomplete_and_gaps_guard_nothing(
    project: Project,
) -> None:
    project.write("tests/blocking_io/test_more.py", MORE_ANCHORS)
    done = project.anchors("-n", "2")
    assert f"crashed while running '{CRASH}'" in done.stdout, done.stdout  # xdist's own words
    # said loudly at the end of the run, not only in the file
    assert "anchors report is INCOMPLETE" in done.stdout, done.stdout
    report = load_report(project.report_dir / "anchors.json", AnchorsReport)
    (lost,) = report.incomplete
    assert lost.worker in ("gw0", "gw1")
    assert CRASH in lost.reason
    assert CRASH in lost.tests
    # the tests whose results went down with the worker are exactly the ones missing
    recorded = {a.test for a in report.anchors}
    every = {ANCHOR + t for t in ("test_load_settings", "test_content_type", "test_count",
             "test_cleanup_keeps_the_file", "test_double", "test_sneaky")}  # fmt: skip
    every |= {f"tests/blocking_io/test_more.py::test_count_{i}" for i in range(10)} | {CRASH}
    assert not recorded & set(lost.tests)
    assert recorded | set(lost.tests) == every
    count = len(lost.tests)
    assert f"the {count} gated test{'' if count == 1 else 's'} it ran are missing" in done.stdout

    # gaps: nothing is called guarded (or entry-anchored, or unguarded) from such a report
    gaps = project.gaps("--format", "json", "--no-report")
    assert gaps.returncode == 2, gaps.stderr
    data = json.loads(gaps.stdout)
    assert {f["status"] for f in data["findings"]} <= {"failing", "runtime-blind"}
    assert data["summary"]["guarded"] == data["summary"]["unguarded"] == 0
    assert any("incomplete" in w for w in data["warnings"])
    assert "anchors.json is incomplete" in gaps.stderr
    # the terminal output says why each finding is left unclassified
    terminal = project.gaps("--no-report")
    assert terminal.returncode == 2
    assert "the anchors report is incomplete" in terminal.stdout

    # and the teeth check will not plan from it either
    teeth = project.run(*cli(), "teeth")
    assert teeth.returncode == 2
    assert "incomplete" in teeth.stderr and "Traceback" not in teeth.stderr
