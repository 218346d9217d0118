"""Fixtures for the runtime gate's tests: a small project on disk that pytester runs.

`project` writes a pyproject.toml with `[tool.blocking-io]` (source root `src`, scanned
module `svc`) into the pytester directory; tests add production modules under `src/svc/`
and anchors under `tests/blocking_io/`, then run pytest on it for real.
"""

from __future__ import annotations

import contextlib
import importlib
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# pytester's inline runs drop modules first imported inside them, and a C extension
# (coverage's CTracer, which the gate records lines with below 3.12) cannot be imported twice
with contextlib.suppress(ImportError):
    import coverage.tracer  # noqa: F401

PYPROJECT = """\
[tool.blocking-io]
source-roots = ["src"]
scanned-modules = ["svc"]
{extra}

[tool.pytest.ini_options]
asyncio_mode = "{asyncio_mode}"
asyncio_default_fixture_loop_scope = "function"
"""

# A production module with the shapes the gate must tell apart.
SVC = """\
import asyncio


def load(path):
    with open(path) as f:
        return f.read()


async def blocking(path):
    return load(path)


async def offloaded(path):
    return await asyncio.to_thread(load, path)


async def swallowing(path):
    try:
        return load(path)
    except Exception:
        return None
"""


# Inner runs need neither the cache nor hypothesis' plugin (slow to configure).
QUIET = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
    "-o",
    "asyncio_default_fixture_loop_scope=function",
    "-ra",
)


@dataclass
class Project:
    pytester: pytest.Pytester

    @property
    def path(self) -> Path:
        return self.pytester.path

    def configure(self, extra: str = "", asyncio_mode: str = "strict") -> None:
        text = PYPROJECT.format(extra=extra, asyncio_mode=asyncio_mode)
        (self.path / "pyproject.toml").write_text(text)

    def module(self, name: str, source: str) -> Path:
        path = self.path / "src" / "svc" / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        return path

    def anchor(self, name: str, source: str, folder: str = "tests/blocking_io") -> Path:
        path = self.path / folder / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        return path

    def run(self, *args: str, **kwargs: Any) -> pytest.RunResult:
        importlib.invalidate_caches()  # files were just written; stale finder caches miss them
        return self.pytester.runpytest(*QUIET, *args, **kwargs)

    def run_subprocess(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*QUIET, *args, timeout=120)


@pytest.fixture
def bare(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The pytester directory, nothing written yet (an unconfigured project)."""
    # On CI pytest prints whole multi-line messages in the short summary too, which would
    # double every line the tests count: inner runs behave as on a developer's machine.
    for name in ("CI", "BUILD_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    return Project(pytester)


@pytest.fixture
def project(bare: Project) -> Project:
    proj = bare
    proj.configure()
    proj.module("__init__", SVC)
    return proj
