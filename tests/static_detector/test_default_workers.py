"""How many worker processes a scan uses when `--jobs` is not given."""

from __future__ import annotations

import pytest
from blocking_io.static_detector import scan


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 1), (3, 3), (8, 8)])
def test_one_process_below_three_cpus_else_one_worker_per_cpu(monkeypatch, cpus, workers):
    monkeypatch.setattr(scan, "_usable_cpus", lambda: cpus)
    assert scan.default_workers() == workers
