"""Source edited after the reports were made: say which files and which report, leave the
findings that depend on them unclassified, or re-run the static side with --refresh."""

from __future__ import annotations

import hashlib
import json

from gap_project import EXPECTED, Project, cli, statuses


def edit(project: Project, rel: str, prepend: str = "", append: str = "") -> None:
    path = project.path / rel
    path.write_text(prepend + path.read_text() + append)


def test_unchanged_sources_are_not_stale(scenario: Project) -> None:
    gaps = scenario.gaps_json("--no-report")
    assert gaps["stale"] == [] and gaps["summary"]["stale"] == 0


def test_a_file_both_reports_saw_leaves_its_findings_unclassified(project: Project) -> None:
    edit(project, "src/svc/handlers.py", append="# edited after the reports\n")

    done = project.gaps("--no-report")
    gaps = project.gaps_json("--no-report")

    assert done.returncode == 0
    assert gaps["findings"] == []  # all six findings are in handlers.py
    assert gaps["summary"]["stale"] == 6 and gaps["summary"]["unguarded"] == 0
    [stale] = gaps["stale"]
    assert (stale["path"], stale["report"]) == ("src/svc/handlers.py", "both")
    assert stale["reason"] == "changed since findings.json and anchors.json were made"
    assert len(stale["findings"]) == 6
    assert (
        "Stale: 1 file(s) changed since the reports were made; 6 finding(s) left unclassified"
        in done.stdout
    )
    assert (
        "src/svc/handlers.py: changed since findings.json and anchors.json were made" in done.stdout
    )
    assert "re-run `blocking-io detect` (or pass --refresh)" in done.stdout
    assert "re-run the anchors with `pytest --blocking-io-report`" in done.stdout
    assert "6 stale" in done.stdout


def test_a_helper_on_the_chain_makes_only_the_findings_through_it_stale(project: Project) -> None:
    edit(project, "src/svc/storage.py", append="\n# edited\n")

    gaps = project.gaps_json("--no-report")

    reached_through_storage = {
        "svc.handlers.load_settings",
        "svc.handlers.reload_settings",
        "svc.handlers.count",
    }
    assert statuses(gaps) == {f: s for f, s in EXPECTED.items() if f not in reached_through_storage}
    [stale] = gaps["stale"]
    assert stale["path"] == "src/svc/storage.py" and len(stale["findings"]) == 3


def test_a_file_only_the_static_side_saw_is_reported_without_blocking_the_join(
    project: Project,
) -> None:
    (project.path / "src/svc/unused.py").unlink()

    gaps = project.gaps_json("--no-report")

    assert statuses(gaps) == EXPECTED
    assert gaps["stale"] == [
        {
            "path": "src/svc/unused.py",
            "report": "findings",
            "reason": "deleted since findings.json was made",
            "findings": [],
        }
    ]


def test_fail_on_stale(project: Project) -> None:
    edit(project, "src/svc/handlers.py", append="# edited\n")

    assert project.gaps("--no-report", "--fail-on", "stale").returncode == 1
    assert project.gaps("--no-report", "--fail-on", "unguarded").returncode == 0  # none classified


def test_refresh_reruns_the_static_side(project: Project) -> None:
    edit(project, "src/svc/unused.py", append="\n\ndef another():\n    return 2\n")
    assert project.gaps_json("--no-report")["stale"] != []

    gaps = project.gaps_json("--no-report", "--refresh")

    assert gaps["stale"] == []
    assert statuses(gaps) == EXPECTED
    findings = json.loads((project.report_dir / "findings.json").read_text())
    current = hashlib.sha256((project.path / "src/svc/unused.py").read_bytes()).hexdigest()
    assert findings["files"]["src/svc/unused.py"] == current  # rewritten by the refresh


def test_refresh_cannot_refresh_the_anchors_so_shifted_lines_stay_unclassified(
    project: Project,
) -> None:
    # Two lines inserted at the top: every finding of handlers.py moves down by two.
    edit(project, "src/svc/handlers.py", prepend='"""Handlers."""\n\n')
    assert project.gaps_json("--no-report")["stale"][0]["report"] == "both"

    refreshed = project.gaps_json("--no-report", "--refresh")
    [stale] = refreshed["stale"]
    assert (stale["path"], stale["report"]) == ("src/svc/handlers.py", "anchors")
    assert refreshed["findings"] == []

    project.anchors()  # the runtime side catches up
    gaps = project.gaps_json("--no-report")
    assert gaps["stale"] == []
    assert statuses(gaps) == EXPECTED
    nap = next(f for f in gaps["findings"] if f["function"] == "svc.handlers.nap")
    assert nap["line"] == 38  # 36 before the edit


def test_reports_from_different_rule_sets_are_a_warning(project: Project) -> None:
    project.run(*cli(), "detect", "--ignore", "BIO110", "--exit-zero")

    done = project.gaps("--no-report")

    assert done.returncode == 0
    assert "blocking-io: warning: the two reports used different rule sets" in done.stderr
    gaps = project.gaps_json("--no-report")
    assert any("different rule sets" in w for w in gaps["warnings"])
    assert "svc.handlers.cleanup" not in statuses(gaps)  # BIO110 was not scanned for
