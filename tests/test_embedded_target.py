"""`make detect-blocking-io` on the embedded target reports exactly its answer key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from blocking_io.shared_rules import tomlio

REPO = Path(__file__).resolve().parents[1]
KEY = tomlio.load(REPO / "packages" / "answer_key.toml")


def _line_of(path: str, marker: str) -> int:
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    hits = [n for n, text in enumerate(lines, 1) if marker in text]
    assert len(hits) == 1, f"answer key marker {marker!r} matches {len(hits)} lines of {path}"
    return hits[0]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("detect") / "findings.json"
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "detect", "--format", "json",
         "--no-cache", "--no-report", "--output", str(out)],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the target has unfixed bugs on purpose
    return json.loads(out.read_text())


def test_findings_are_exactly_the_answer_key(report):
    expected = {
        (f["path"], _line_of(f["path"], f["line_marker"]), f["rule"], f["suppressed"])
        for f in KEY["finding"]
    }
    got = {
        (f["path"], f["line"], f["rule"], f["suppressed"] is not None) for f in report["findings"]
    }
    assert got == expected
    assert not report["errors"]


def test_each_finding_has_the_keyed_symbol_exposure_chain_and_entrypoints(report):
    by_place = {(f["path"], f["line"], f["rule"]): f for f in report["findings"]}
    for entry in KEY["finding"]:
        finding = by_place[
            (entry["path"], _line_of(entry["path"], entry["line_marker"]), entry["rule"])
        ]
        assert finding["symbol"] == entry["symbol"], entry["line_marker"]
        assert finding["function"] == entry["function"], entry["line_marker"]
        assert finding["exposure"] == entry["exposure"], entry["line_marker"]
        assert finding["entrypoints"] == sorted(entry["entrypoints"]), entry["line_marker"]
        if "chain" in entry:
            assert [s["function"] for s in finding["chain"]] == entry["chain"], entry["line_marker"]


def test_clean_places_are_not_flagged(report):
    flagged = {(f["path"], f["line"]) for f in report["findings"]}
    for entry in KEY["clean"]:
        line = _line_of(entry["path"], entry["line_marker"])
        assert (entry["path"], line) not in flagged, entry.get("why", entry["line_marker"])


def test_summary_counts_match(report):
    summary = KEY["summary"]
    assert len(report["findings"]) == summary["findings"]
    assert sum(1 for f in report["findings"] if f["suppressed"]) == summary["suppressed"]
