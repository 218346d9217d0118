"""Every test's library summaries go to a temporary user-level cache, never the real one
(`~/.cache/blocking-io/libraries`), and so do the scans the tests run as processes."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_library_cache(tmp_path_factory: pytest.TempPathFactory):
    before = os.environ.get("BLOCKING_IO_CACHE_DIR")
    os.environ["BLOCKING_IO_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("BLOCKING_IO_CACHE_DIR", None)
    else:
        os.environ["BLOCKING_IO_CACHE_DIR"] = before
