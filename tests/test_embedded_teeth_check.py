"""`make teeth` on the embedded target reports the answer key's outcome for every offload."""

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
    assert len(hits) == 1, f"marker {marker!r} matches {len(hits)} lines of {path}"
    return hits[0]


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_teeth_outcomes_match_the_answer_key(tmp_path):
    findings, anchors, out = (
        tmp_path / "findings.json",
        tmp_path / "anchors.json",
        tmp_path / "teeth.json",
    )
    assert _run(sys.executable, "-m", "blocking_io", "detect", "--no-cache", "--format",
                "json", "--output", str(findings), "--no-report").returncode == 1  # fmt: skip
    ran = _run(sys.executable, "-m", "pytest", "tests/blocking_io", "-q", "-p", "no:cacheprovider",
               f"--blocking-io-report={anchors}")  # fmt: skip
    assert ran.returncode == 0, ran.stdout[-2000:]
    done = _run(sys.executable, "-m", "blocking_io", "teeth", "--findings", str(findings),
                "--anchors", str(anchors), "--format", "json", "--output", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = {
        (s["path"], s["line"], s["target"]): s["outcome"]
        for s in json.loads(out.read_text())["sites"]
    }
    expected = {
        (t["path"], _line_of(t["path"], t["line_marker"]), t["target"]): t["outcome"]
        for t in KEY["teeth"]
    }
    assert got == expected
    assert {"has-teeth", "toothless", "unexercised"} == set(got.values())
