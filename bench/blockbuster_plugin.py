"""pytest plugin for the runtime bench: every test runs inside a bare Blockbuster context.

Used as `-p bench.blockbuster_plugin` together with `-p no:blocking_io`, it measures what
Blockbuster alone costs on the anchor suite, to compare with the blocking-io gate.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from blockbuster import blockbuster_ctx
from blocking_io.shared_rules import InputError, load_config

_SCANNED = pytest.StashKey[list]()


def _scanned_modules(config: pytest.Config) -> list[str]:
    try:
        settings = load_config(None, cwd=config.rootpath).settings
    except InputError as exc:
        raise pytest.UsageError(f"bench.blockbuster_plugin: {exc}") from None
    return list(settings.scanned_modules)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SCANNED] = _scanned_modules(config)


@pytest.fixture(autouse=True)
def _blockbuster(request: pytest.FixtureRequest) -> Iterator[None]:
    with blockbuster_ctx(scanned_modules=request.config.stash[_SCANNED] or None):
        yield
