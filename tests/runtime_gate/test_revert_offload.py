"""Teeth-check hook: `--blocking-io-revert-offload=PATH:LINE` runs that offload inline.

An anchor that guards the offload goes red when (and only when) its site is reverted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Project

pytest_plugins = ["pytester"]

OFFLOADS = """\
import asyncio
import functools
from asyncio import to_thread

import anyio.to_thread


def load(path):
    with open(path) as f:
        return f.read()


async def run_io(fn, *args):  # a project offload wrapper (offload-functions)
    return await asyncio.to_thread(fn, *args)


async def via_to_thread(path):
    return await asyncio.to_thread(load, path)  # site: to_thread


async def via_imported_name(path):
    return await to_thread(load, path)  # site: imported


async def via_executor(path):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        None, functools.partial(load, path)  # site: executor (2nd line of the call)
    )


async def via_anyio(path):
    return await anyio.to_thread.run_sync(load, path)  # site: anyio


async def via_wrapper(path):
    return await run_io(load, path)  # site: wrapper


async def via_gather(path):
    # to_thread coroutines made here run in tasks of their own: found by their origin
    first, second = await asyncio.gather(
        asyncio.to_thread(load, path), asyncio.to_thread(str, 1)  # site: gather
    )
    return first
"""

ANCHORS = """
    import pytest
    from svc import offloads

    NAMES = ["to_thread", "imported_name", "executor", "anyio", "wrapper", "gather"]


    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.asyncio
    async def test_offload(name, tmp_path):
        (tmp_path / "a.txt").write_text("x")
        assert await getattr(offloads, f"via_{name}")(tmp_path / "a.txt") == "x"
"""


def _site(project: Project, tag: str) -> str:
    lines = (project.path / "src" / "svc" / "offloads.py").read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if f"# site: {tag}" in line)
    return f"--blocking-io-revert-offload=src/svc/offloads.py:{number}"


@pytest.fixture
def offloads(project: Project) -> Project:
    project.configure(extra='offload-functions = ["svc.offloads.run_io"]')
    project.module("offloads", OFFLOADS)
    project.anchor("test_offloads", ANCHORS)
    return project


def test_without_revert_every_anchor_passes(offloads: Project) -> None:
    offloads.run().assert_outcomes(passed=6)


@pytest.mark.parametrize("tag", ["to_thread", "imported", "executor", "anyio", "wrapper", "gather"])
def test_reverting_one_site_turns_exactly_its_anchor_red(offloads: Project, tag: str) -> None:
    result = offloads.run(_site(offloads, tag))
    result.assert_outcomes(passed=5, failed=1)
    name = {"imported": "imported_name"}.get(tag, tag)
    result.stdout.fnmatch_lines(
        [
            "*BIO101 sync-file-open*",
            f"FAILED tests/blocking_io/test_offloads.py::test_offload[[]{name}] - *",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            f"reverted offload src/svc/offloads.py:*: ran inline in 1 test(s) (*test_offload[[]{name}])"
        ]
    )


def test_a_site_no_anchor_reaches_is_reported(offloads: Project) -> None:
    result = offloads.run("--blocking-io-revert-offload=src/svc/offloads.py:9")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        ["reverted offload src/svc/offloads.py:9: ran inline in 0 test(s) (never reached)"]
    )
