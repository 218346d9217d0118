"""bench/dependencies.py's generated project: one async function per blocking API the
knowledge base lists, and every one of them found when the libraries are not installed
(the knowledge base's own answer; the installed-source rows of `make bench` need the
network to install the libraries)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.dependencies import configure, write_project
from bench.detector import detector_command


def test_the_generated_project_calls_every_listed_api_and_the_kb_finds_them(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    apis = write_project(root)
    assert apis == len(list((root / "app").glob("api_*.py"))) > 50
    configure(root, None)
    empty = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(empty)], check=True)
    done = subprocess.run(
        [*detector_command(), "detect", "--python", str(empty / "bin" / "python"),
         "--format", "json", "--exit-zero", "--no-cache"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == []
    found = {f["function"].split(".")[1] for f in report["findings"]}
    assert found == {f"api_{i}" for i in range(apis)}
    assert all("knowledge base" in f["message"] for f in report["findings"])
