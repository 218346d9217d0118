"""The whole loop on the embedded target (packages/): detect, the anchors in tests/blocking_io
under the gate, `blocking-io gaps`; every status must match packages/answer_key.toml."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from blocking_io.shared_rules import tomlio
from gap_project import QUIET, clean_env, cli

REPO = Path(__file__).resolve().parents[2]
KEY = REPO / "packages" / "answer_key.toml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=REPO,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=600,
        check=False,
    )


def line_of(path: str, marker: str) -> int:
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    hits = [n for n, text in enumerate(lines, 1) if marker in text]
    assert len(hits) == 1, f"{path}: line_marker {marker!r} found {len(hits)} times"
    return hits[0]


def loop(tmp_path: Path, *pytest_args: str) -> dict[str, Any]:
    findings, anchors = tmp_path / "findings.json", tmp_path / "anchors.json"
    detect = run(
        *cli(), "detect", "--format", "json", "--exit-zero", "--no-report", "-o", str(findings)
    )
    assert detect.returncode == 0, detect.stderr
    gate = run(
        sys.executable,
        "-m",
        "pytest",
        "tests/blocking_io",
        "-q",
        *QUIET,
        f"--blocking-io-report={anchors}",
        *pytest_args,
    )
    assert anchors.is_file(), gate.stdout + gate.stderr
    gaps = run(
        *cli(),
        "gaps",
        "--findings",
        str(findings),
        "--anchors",
        str(anchors),
        "--no-report",
        "--format",
        "json",
    )
    assert gaps.returncode == 0, gaps.stderr
    assert "rules" not in gaps.stderr, gaps.stderr  # both sides used the same rule set
    return json.loads(gaps.stdout)


def compare(gaps: dict[str, Any], status_key: str) -> list[str]:
    """Differences between gaps.json and the key, one line each (empty: they agree)."""
    key = tomlio.load(KEY)
    got = {(f["path"], f["line"], f["rule"]): f["status"] for f in gaps["findings"]}
    problems = []
    expected_sites = set()
    for entry in key["finding"]:
        if entry.get("suppressed"):
            continue
        site = (entry["path"], line_of(entry["path"], entry["line_marker"]), entry["rule"])
        expected_sites.add(site)
        want = entry.get(status_key, entry["gap_status"])
        have = got.get(site, "missing")
        if have != want:
            problems.append(
                f"{site[0]}:{site[1]} {site[2]} ({entry['function']}): {have}, key says {want}"
            )
    for site in sorted(set(got) - expected_sites):
        problems.append(f"{site[0]}:{site[1]} {site[2]}: {got[site]}, not in the key")
    return problems


def test_embedded_target_matches_the_answer_key(tmp_path: Path) -> None:
    gaps = loop(tmp_path)

    assert compare(gaps, "gap_status") == []
    summary = tomlio.load(KEY)["summary"]
    for status in ("guarded", "entry-anchored", "runtime-blind", "unguarded", "failing"):
        assert gaps["summary"][status] == summary[status], status
    assert gaps["stale"] == []
    leaders = [s["entrypoint"].rsplit(".", 2)[-2:] for s in gaps["suggested_anchors"][:1]]
    assert leaders == [["SessionHandler", "delete"]]  # 2 unguarded medium findings


@pytest.mark.slow
def test_embedded_target_with_the_known_gap_anchor_is_failing(tmp_path: Path) -> None:
    gaps = loop(tmp_path, "-m", "known_gap or not known_gap")

    assert compare(gaps, "gap_status_with_known_gaps") == []
    assert (gaps["summary"]["failing"], gaps["summary"]["unguarded"]) == (1, 12)
    assert gaps["unmatched_violations"] == []
