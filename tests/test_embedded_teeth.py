"""Teeth of the runtime anchors in tests/blocking_io: revert an offload, the anchor goes red.

Each case names one anchor and the module whose offloads keep it green. The anchors run in
a fresh pytest process with every ``asyncio.to_thread`` (or ``loop.run_in_executor``) call
made *from that module* replaced by an inline call on the event loop, i.e. the code as it
was before the fix:

- under the runtime gate (the ``blocking_io`` plugin) every anchor must FAIL;
- with the gate disabled (``-p no:blocking_io``) the same reverted anchors must PASS, which
  proves the failures come from the gate catching the blocking calls, not from the revert
  breaking the code.

NEEDS THE RUNTIME GATE: the two teeth tests are skipped while ``blocking_io.runtime_gate.plugin`` does
not exist. Once the gate lands they run with ``make test`` (two inner pytest runs, ~8 s).
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]

needs_gate = pytest.mark.skipif(
    importlib.util.find_spec("blocking_io.runtime_gate") is None
    or importlib.util.find_spec("blocking_io.runtime_gate.plugin") is None,
    reason="teeth tests need the runtime gate plugin (blocking_io.runtime_gate.plugin), not built yet",
)

UNGATED = ("-p", "no:blocking_io")


def gate_args(pytester: pytest.Pytester) -> tuple[str, ...]:
    """The gate is on by default in tests/blocking_io; keep its report out of the repo."""
    return (f"--blocking-io-report={pytester.path / 'anchors.json'}",)


# Installed as a plugin in the inner pytest run. For each anchor named in TEETH_REVERTS it
# reverts the offloads of one module; it writes every anchor's outcome to TEETH_RESULTS.
REVERT_PLUGIN = """
import asyncio
import importlib
import json
import os
import types
from pathlib import Path

import pytest

REVERTS = json.loads(os.environ["TEETH_REVERTS"])
OUTCOMES = {}


async def _inline_to_thread(func, /, *args, **kwargs):
    return func(*args, **kwargs)


class _InlineExecutorLoop:
    # the running loop, except that run_in_executor runs the function right here

    def __init__(self, loop):
        self._loop = loop

    def __getattr__(self, name):
        return getattr(self._loop, name)

    def run_in_executor(self, executor, func, *args):
        future = self._loop.create_future()
        try:
            future.set_result(func(*args))
        except BaseException as exc:
            future.set_exception(exc)
        return future


@pytest.fixture(autouse=True)
def _revert_offloads(request, monkeypatch):
    module_name, kind = REVERTS[request.node.nodeid].split(":")
    module = importlib.import_module(module_name)
    assert getattr(module, "asyncio", None) is asyncio, f"{module_name} does not use asyncio"
    reverted = types.ModuleType("asyncio")
    reverted.__dict__.update(vars(asyncio))
    if kind == "to_thread":
        reverted.to_thread = _inline_to_thread
    elif kind == "run_in_executor":
        reverted.get_running_loop = lambda: _InlineExecutorLoop(asyncio.get_running_loop())
    else:
        raise ValueError(kind)
    monkeypatch.setattr(module, "asyncio", reverted)


def pytest_runtest_logreport(report):
    if report.failed:
        OUTCOMES[report.nodeid] = "failed"
    elif report.when == "call" and report.passed:
        OUTCOMES.setdefault(report.nodeid, "passed")


def pytest_sessionfinish(session):
    Path(os.environ["TEETH_RESULTS"]).write_text(json.dumps(OUTCOMES, indent=1))
"""


@dataclass(frozen=True)
class Case:
    anchor: str  # node id relative to the repo root
    revert: str  # "module:to_thread" or "module:run_in_executor"

    @property
    def id(self) -> str:
        return f"{self.anchor.rsplit('::', 1)[-1]}[{self.revert}]"


CASES = [
    Case(
        "tests/blocking_io/test_sessions.py::test_create_session_provisions_workspace_row_and_event",
        "relay.gateway.sessions:to_thread",
    ),
    Case(
        "tests/blocking_io/test_uploads.py::test_upload_without_checksum_is_accepted",
        "relay.gateway.uploads:run_in_executor",
    ),
    Case(
        "tests/blocking_io/test_uploads.py::test_download_missing_upload_is_404",
        "relay.gateway.uploads:to_thread",
    ),
    Case(
        "tests/blocking_io/test_uploads.py::test_upload_then_download_round_trip",
        "relay.storage.uploads:to_thread",
    ),
    Case(
        "tests/blocking_io/test_skills.py::test_skill_catalogue_lists_valid_skills_and_skips_broken_ones",
        "relay.plugins.skills:to_thread",
    ),
    Case(
        "tests/blocking_io/test_tools.py::test_run_tool_returns_its_output",
        "relay.gateway.tools:to_thread",
    ),
    Case(
        "tests/blocking_io/test_events.py::test_tail_pages_through_the_log",
        "relay.gateway.events:to_thread",
    ),
    Case(
        "tests/blocking_io/test_health.py::test_health_reports_database_disk_and_counters",
        "relay.gateway.health:to_thread",
    ),
    Case(
        "tests/blocking_io/test_outbound.py::test_deliver_posts_the_event",
        "relay.outbound.notifier:run_in_executor",
    ),
    Case(
        "tests/blocking_io/test_app.py::test_served_relay_creates_and_reads_a_session",
        "relay.gateway.sessions:to_thread",
    ),
]


def run_reverted_anchors(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> dict[str, str]:
    """Run every case's anchor with its offloads reverted; node id -> "passed" / "failed"."""
    pytester.makepyfile(teeth_revert=REVERT_PLUGIN)
    results = pytester.path / "teeth-results.json"
    monkeypatch.setenv("TEETH_REVERTS", json.dumps({case.anchor: case.revert for case in CASES}))
    monkeypatch.setenv("TEETH_RESULTS", str(results))
    run = pytester.runpytest_subprocess(
        *(str(REPO / case.anchor) for case in CASES),
        "-c",
        str(REPO / "pyproject.toml"),
        "--rootdir",
        str(REPO),
        "-p",
        "teeth_revert",
        *extra,
        timeout=300,
    )
    assert results.exists(), run.stdout.str()
    return json.loads(results.read_text())


@needs_gate
def test_anchors_fail_under_the_gate_when_their_offload_is_reverted(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = run_reverted_anchors(pytester, monkeypatch, *gate_args(pytester))

    toothless = [case.id for case in CASES if outcomes.get(case.anchor) != "failed"]
    assert not toothless, f"anchors still green with their offload reverted: {toothless}"


@needs_gate
def test_reverted_anchors_still_pass_without_the_gate(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = run_reverted_anchors(pytester, monkeypatch, *UNGATED)

    broken = [case.id for case in CASES if outcomes.get(case.anchor) != "passed"]
    assert not broken, f"the revert itself breaks these anchors (no gate involved): {broken}"


# test_export.py fakes shutil.make_archive on purpose: the toothless example that
# `make teeth` must report (packages/answer_key.toml [[teeth]]), so it has no teeth case.
WITHOUT_TEETH = {"test_known_gaps.py", "test_export.py"}


def test_every_anchor_module_has_a_teeth_case() -> None:
    anchors = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "tests/blocking_io").glob("test_*.py")
        if path.name not in WITHOUT_TEETH
    }
    covered = {case.anchor.split("::")[0] for case in CASES}
    assert anchors == covered
