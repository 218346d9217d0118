"""CI use: `--fail-on STATUS[:SEVERITY]` sets exit code 1; `--baseline` ratchets."""

from __future__ import annotations

import shutil

import pytest
from gap_project import ANCHOR, Project

# The scenario: failing load_settings (medium), unguarded nap (high) and reload_settings
# (medium), entry-anchored cleanup (medium), guarded count (low), runtime-blind content_type (low).


@pytest.mark.parametrize(
    ("rules", "code"),
    [
        ((), 0),
        (("unguarded:high",), 1),  # nap
        (("unguarded",), 1),
        (("entry-anchored:high",), 0),  # cleanup is medium
        (("entry-anchored:medium",), 1),
        (("failing",), 1),
        (("guarded:medium",), 0),  # count is low
        (("runtime-blind:LOW",), 1),  # case-insensitive
        (("guarded:medium", "failing:high"), 0),  # load_settings is medium
        (("guarded:medium", "failing"), 1),
    ],
)
def test_fail_on_thresholds(scenario: Project, rules: tuple[str, ...], code: int) -> None:
    args = [arg for rule in rules for arg in ("--fail-on", rule)]

    done = scenario.gaps("--no-report", "--format", "json", *args)

    assert done.returncode == code, done.stderr
    if code:
        assert "blocking-io: --fail-on " in done.stderr


def test_fail_on_names_the_findings_that_trip_it(scenario: Project) -> None:
    done = scenario.gaps("--no-report", "--fail-on", "unguarded:high")

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "blocking-io: --fail-on unguarded:high: 1 finding",
        "  src/svc/handlers.py:36 BIO301 [high] unguarded: svc.handlers.nap",
    ]


@pytest.mark.parametrize("bad", ["covered", "unguarded:critical", ":high", "unguarded:"])
def test_a_bad_fail_on_is_a_usage_error(scenario: Project, bad: str) -> None:
    done = scenario.gaps("--no-report", "--fail-on", bad)

    if bad == "unguarded:":  # an empty severity is the status alone
        assert done.returncode == 1
        return
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("blocking-io: error: --fail-on ")


def test_baseline_counts_only_new_findings(project: Project) -> None:
    assert project.gaps("--format", "json", "-o", "baseline.json", "--no-report").returncode == 0
    # unchanged: the old unguarded findings do not count any more
    assert (
        project.gaps(
            "--no-report", "--baseline", "baseline.json", "--fail-on", "unguarded"
        ).returncode
        == 0
    )
    assert project.gaps("--no-report", "--fail-on", "unguarded").returncode == 1

    # a new module nobody anchors: one new unguarded finding
    project.write("src/svc/slow.py", "import time\n\n\nasync def wait():\n    time.sleep(1)\n")
    done = project.gaps(
        "--no-report", "--refresh", "--baseline", "baseline.json", "--fail-on", "unguarded"
    )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "blocking-io: --fail-on unguarded: 1 finding (new or worse since baseline.json)",
        "  src/svc/slow.py:5 BIO301 [high] unguarded: svc.slow.wait",
    ]


def test_baseline_counts_findings_whose_status_got_worse(project: Project) -> None:
    assert project.gaps("--format", "json", "-o", "baseline.json", "--no-report").returncode == 0
    # the anchors run again without test_count: count's finding is guarded no more
    project.anchors("-k", "not test_count")

    done = project.gaps("--no-report", "--baseline", "baseline.json", "--fail-on", "unguarded")

    assert done.returncode == 1
    assert done.stderr.splitlines()[1:] == [
        "  src/svc/handlers.py:25 BIO302 [low] unguarded: svc.handlers.count"
    ]
    # better is never worse: a baseline from this run, compared with the full run, is clean
    project.gaps("--format", "json", "-o", "worse.json", "--no-report")
    project.anchors()
    assert (
        project.gaps("--no-report", "--baseline", "worse.json", "--fail-on", "unguarded").returncode
        == 0
    )


def test_baseline_must_be_a_gaps_report(project: Project) -> None:
    shutil.copy(project.report_dir / "anchors.json", project.path / "not-gaps.json")

    done = project.gaps("--no-report", "--baseline", "not-gaps.json", "--fail-on", "unguarded")

    assert done.returncode == 2
    assert done.stderr.strip() == (
        "blocking-io: error: not-gaps.json: wrong report schema 'blocking-io/anchors/2' "
        "(expected 'blocking-io/gaps/1'; regenerate the report)"
    )


def test_failing_anchor_ids_are_in_the_report_for_ci_annotations(scenario: Project) -> None:
    gaps = scenario.gaps_json("--no-report")
    failing = [f for f in gaps["findings"] if f["status"] == "failing"]
    assert [(f["path"], f["rule"], f["anchors"]) for f in failing] == [
        ("src/svc/handlers.py", "BIO101", [ANCHOR + "test_load_settings"])
    ]
