"""Every test's library summaries go to a temporary user-level cache, never the real one
(`~/.cache/blocking-io/libraries`), and so do the scans the tests run as processes (they
inherit the variable).

Needed at the root: scans run in-process or as `blocking-io detect` from several test
folders (static_detector, adoption, the corpus), and that cache is keyed by the tool's
version and cache format, not by its code: a developer's own cache, written by another
state of the summariser, would otherwise answer the tests. Harmless elsewhere: it only
sets one environment variable that nothing but the library cache reads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from blocking_io.shared_rules import registry as registry_module


@pytest.fixture(autouse=True, scope="session")
def _private_library_cache(tmp_path_factory: pytest.TempPathFactory):
    before = os.environ.get("BLOCKING_IO_CACHE_DIR")
    os.environ["BLOCKING_IO_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("BLOCKING_IO_CACHE_DIR", None)
    else:
        os.environ["BLOCKING_IO_CACHE_DIR"] = before


@pytest.fixture
def registry_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the shipped registry data that `builtin_registry()` reads while the test
    runs: tests add or break pack and table files there, never in the tree."""
    copy = tmp_path / "data"
    shipped = Path(registry_module.__file__).parent / "data"
    shutil.copytree(shipped, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(registry_module, "DATA", copy)
    registry_module.builtin_registry.cache_clear()
    yield copy
    registry_module.builtin_registry.cache_clear()
