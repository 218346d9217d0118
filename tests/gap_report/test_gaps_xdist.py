"""Anchors run in parallel (pytest-xdist): the gate merges the workers' parts into one
anchors.json, and the join gives the same verdicts as for a serial run."""

from __future__ import annotations

import json

from gap_project import EXPECTED, Project, statuses


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
