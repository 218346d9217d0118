"""A generated tree of 5,000 modules / ~1M lines with deep cross-module chains and cycles.

Slow (about a minute on 2 cores): run by `.ci/run` (make test-all) and `make bench`. The
figures it prints go to docs/benchmarks.md.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import pytest

from bench.scale import SEED_EVERY, generate

pytestmark = pytest.mark.slow


def test_a_million_lines_with_cycles_finishes_with_the_expected_findings(tmp_path):
    modules = 5000
    lines = generate(tmp_path, modules, 200)
    assert lines >= 1_000_000
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "detect", "--format", "json", "--no-cache",
         "--no-report", "--jobs", "2"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert not report["errors"]
    # every module's handler reaches a seeded primitive through the cycle of modules, and
    # every seeded module's direct handler calls it
    assert len(report["findings"]) == modules + modules // SEED_EVERY
    deepest = max(len(f["chain"]) for f in report["findings"])
    assert deepest > 50  # chains really cross many modules
    print(f"\nscale: {lines} lines, {modules} modules in {seconds:.1f}s, peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 8 * 1024  # far inside this machine's memory
