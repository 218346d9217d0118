"""How many worker processes a scan uses when `--jobs` is not given."""

from __future__ import annotations

import pytest
from blocking_io.static_detector import scan

BIG = scan.PARALLEL_FROM_BYTES


@pytest.mark.parametrize(
    ("cpus", "source_bytes", "workers"),
    [(1, BIG, 1), (2, BIG - 1, 1), (2, BIG, 2), (8, BIG * 3, 8), (8, 1000, 1)],
)
def test_one_worker_per_cpu_only_for_enough_source(monkeypatch, cpus, source_bytes, workers):
    monkeypatch.setattr(scan, "_usable_cpus", lambda: cpus)
    assert scan.default_workers(source_bytes) == workers
