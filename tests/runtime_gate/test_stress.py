"""The gate under load and faults, in real pytest runs (pytester): hundreds of tasks and
many threads in one anchor, threads that legitimately block, a hanging test killed by
pytest-timeout, event loops running in other threads, and run_in_executor.

What "on the loop" means here is Blockbuster's rule, which the gate keeps: a blocking call is
flagged when the thread making it has a running event loop. Threads without one (executor
threads, plain `threading.Thread`s) may block; a thread that runs its own loop
(`asyncio.run()` in a worker thread) is a loop thread too, and a blocking call on that loop
fails the anchor like one on the main loop.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Project

pytest_plugins = ["pytester"]

STRESS = """\
import asyncio
import sqlite3
import threading
import time

CULPRIT = 137


def read(path):
    with open(path) as fh:  # the blocking call
        return fh.read()


async def worker(i, path):
    for _ in range(3):
        await asyncio.sleep(0)
    text = await asyncio.to_thread(read, path)  # offloaded: fine
    if i == CULPRIT:
        text = read(path)  # on the loop: the one violation
    await asyncio.sleep(0)
    return text


def busy_thread(path, db, rounds, errors):
    \"\"\"Legitimate blocking IO in a plain thread while the loop runs.\"\"\"
    try:
        for n in range(rounds):
            read(path)
            time.sleep(0.001)
            with sqlite3.connect(db) as conn:
                conn.execute("create table if not exists t (n integer)")
                conn.execute("insert into t values (?)", (n,))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        errors.append(exc)


def start_threads(count, path, db, rounds):
    errors = []
    threads = [
        threading.Thread(target=busy_thread, args=(path, f"{db}-{i}.sqlite", rounds, errors))
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads, errors


async def crowd(path, db, threads, tasks, rounds):
    \"\"\"`tasks` workers on the loop while `threads` busy threads do legitimate blocking IO;
    returns the threads' errors (none expected).\"\"\"
    started, errors = start_threads(threads, path, db, rounds)
    try:
        await asyncio.gather(*(worker(i, path) for i in range(tasks)))
    finally:
        for thread in started:
            await asyncio.to_thread(thread.join)  # joined on the loop, this would be flagged
    return errors


async def loop_in_a_thread(path, offload):
    \"\"\"Run a second event loop in a worker thread, as some SDKs do; return what it got.\"\"\"
    outcome = {}

    async def inner():
        if offload:
            return await asyncio.to_thread(read, path)
        return read(path)

    def run():
        try:
            outcome["value"] = asyncio.run(inner())
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.005)
    return outcome


async def executor_work(path):
    loop = asyncio.get_running_loop()
    first = await loop.run_in_executor(None, read, path)
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(4)
    try:
        rest = await asyncio.gather(
            *(loop.run_in_executor(pool, read, path) for _ in range(50)),
            loop.run_in_executor(pool, time.sleep, 0.01),
        )
    finally:
        # not `with pool:`: its exit joins the threads, on the loop (the gate says so)
        await asyncio.to_thread(pool.shutdown)
    return [first, *rest[:-1]]
"""


def _line(project: Project, text: str) -> int:
    lines = (project.path / "src" / "svc" / "stress.py").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def _report(project: Project) -> dict:
    return json.loads((project.path / ".blocking-io" / "anchors.json").read_text())


@pytest.fixture
def stress(project: Project) -> Project:
    project.module("stress", STRESS)
    return project


def test_one_blocking_task_among_hundreds_and_busy_threads_is_caught_once(stress: Project) -> None:
    stress.anchor(
        "test_many_tasks",
        """
        import pytest
        from svc import stress


        @pytest.mark.asyncio
        async def test_many(tmp_path):
            path = tmp_path / "a.txt"
            path.write_text("x")
            db = tmp_path / "db"
            assert await stress.crowd(path, db, threads=16, tasks=400, rounds=40) == []
        """,
    )
    result = stress.run("--blocking-io-report", "-p", "no:randomly")

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    # Count the raised errors in the FAILURES section, not the short summary: pytest prints
    # that summary line in full only where the CI variable is set.
    raised = [line for line in out.splitlines() if line.startswith("E   ")]
    assert sum("BlockingIOViolation: BIO101" in line for line in raised) == 1
    at = f"src/svc/stress.py:{_line(stress, 'the blocking call')} in read"
    assert f"at:         {at}" in out
    culprit = _line(stress, "on the loop: the one violation")
    assert f"call chain: src/svc/stress.py:{culprit} in worker" in out  # the task's own frames
    [violation] = _report(stress)["violations"]
    assert violation == {
        "test": "tests/blocking_io/test_many_tasks.py::test_many",
        "rule": "BIO101",
        "symbol": "builtins.open",
        "path": "src/svc/stress.py",
        "line": _line(stress, "the blocking call"),
        "function": "read",
        "swallowed": False,
    }


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="3.12+ records lines with sys.monitoring, not coverage.py"
)
def test_the_line_recorders_lock_is_not_taken_for_the_projects(stress: Project) -> None:
    """Seen under load in the test above: coverage.py's C tracer (which records the executed
    lines below 3.12) takes its data lock when code runs in a file it has not traced yet,
    with the project's frame on top. Contended by another thread's tracer, that looked like
    the project acquiring a thread lock on the loop (BIO302 at an `await asyncio.sleep(0)`)."""
    stress.module("fresh", "def value():\n    return 42\n")
    stress.anchor(
        "test_recorder_lock",
        """
        import threading
        import time

        import coverage
        import pytest
        from svc import fresh  # imported untraced: its first traced line comes in the test


        @pytest.mark.asyncio
        async def test_first_call_while_the_tracer_lock_is_held():
            lock = coverage.Coverage.current()._collector.data_lock  # the gate's recorder
            held = threading.Event()

            def hold():
                with lock:
                    held.set()
                    time.sleep(0.2)

            thread = threading.Thread(target=hold)
            thread.start()
            held.wait()
            assert fresh.value() == 42  # the tracer waits for its lock here
            thread.join()
        """,
    )
    result = stress.run("--blocking-io-report")

    result.assert_outcomes(passed=1)
    assert _report(stress)["violations"] == []


def test_threads_blocking_while_the_loop_runs_are_not_flagged(stress: Project) -> None:
    """File reads, time.sleep and sqlite on a database file, from 16 threads started by the
    project's code inside a gated test, while the loop keeps running tasks."""
    stress.anchor(
        "test_threads",
        """
        import asyncio
        import pytest
        from svc import stress


        @pytest.mark.asyncio
        async def test_threads(tmp_path):
            path = tmp_path / "a.txt"
            path.write_text("x")
            threads, errors = stress.start_threads(16, path, tmp_path / "db", 40)
            while any(thread.is_alive() for thread in threads):
                await asyncio.gather(*(asyncio.sleep(0) for _ in range(50)))
            assert errors == []
        """,
    )
    result = stress.run("--blocking-io-report")

    result.assert_outcomes(passed=1)
    assert _report(stress)["violations"] == []


NEXT_TESTS = """
import asyncio
import builtins
import time

import pytest
import svc


@pytest.mark.asyncio
async def test_1_hangs():
    await asyncio.Event().wait()


@pytest.mark.asyncio
async def test_2_next_anchor_is_still_gated(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    assert hasattr(builtins.open, "__blocking_io_original__")  # the gate is on again
    await svc.blocking(tmp_path / "a.txt")
"""

UNGATED = """
import asyncio
import builtins
import time

import svc


def test_3_unguarded_code_may_block(tmp_path):
    for patched in (time.sleep, builtins.open):
        assert not hasattr(patched, "__blocking_io_original__")
    (tmp_path / "a.txt").write_text("x")
    assert asyncio.run(svc.blocking(tmp_path / "a.txt")) == "x"
    time.sleep(0.001)
"""


@pytest.mark.timeout(120)
def test_a_test_killed_by_pytest_timeout_leaves_the_gate_working(project: Project) -> None:
    """pytest-timeout's signal method fails the hanging test from a SIGALRM handler in the
    middle of the loop; the gate is unwound, and on the next test it is on again."""
    project.anchor("test_hang", NEXT_TESTS)
    project.anchor("test_unit", UNGATED, folder="tests/unit")

    result = project.run_subprocess(
        "--timeout=2", "--timeout-method=signal", "--blocking-io-report", "-p", "no:randomly"
    )

    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*Timeout (>2.0s) from pytest-timeout*"])
    out = result.stdout.str()
    assert "FAILED tests/blocking_io/test_hang.py::test_1_hangs" in out
    assert "FAILED tests/blocking_io/test_hang.py::test_2_next_anchor_is_still_gated" in out
    assert "BlockingIOViolation: BIO101" in out
    report = _report(project)
    assert [(a["test"].rpartition("::")[2], a["outcome"]) for a in report["anchors"]] == [
        ("test_1_hangs", "failed"),
        ("test_2_next_anchor_is_still_gated", "failed"),
    ]
    assert [v["test"].rpartition("::")[2] for v in report["violations"]] == [
        "test_2_next_anchor_is_still_gated"
    ]


@pytest.mark.timeout(120)
def test_pytest_timeout_thread_method_ends_the_run_without_hanging(project: Project) -> None:
    """The thread method cannot fail one test: it dumps the stacks and ends the process
    (os._exit). The run ends with the timeout reported; no later test runs."""
    project.anchor("test_hang", NEXT_TESTS)

    result = project.run_subprocess("--timeout=2", "--timeout-method=thread")

    assert result.ret != 0
    assert "Timeout" in result.stdout.str() + result.stderr.str()
    assert "test_2_next_anchor_is_still_gated" not in result.stdout.str()


def test_a_loop_in_a_worker_thread_is_gated_like_the_main_loop(stress: Project) -> None:
    stress.anchor(
        "test_nested",
        """
        import pytest
        from blocking_io.runtime_gate import BlockingIOViolation
        from svc import stress


        @pytest.mark.asyncio
        async def test_blocking_in_a_thread_loop_raises_in_that_thread(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            outcome = await stress.loop_in_a_thread(tmp_path / "a.txt", offload=False)
            raise outcome["error"]


        @pytest.mark.asyncio
        async def test_offloaded_from_a_thread_loop_is_fine(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            outcome = await stress.loop_in_a_thread(tmp_path / "a.txt", offload=True)
            assert outcome == {"value": "x"}


        @pytest.mark.asyncio
        async def test_swallowed_in_the_thread_still_fails_the_anchor(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            outcome = await stress.loop_in_a_thread(tmp_path / "a.txt", offload=False)
            assert isinstance(outcome["error"], BlockingIOViolation)  # never re-raised


        def test_a_sync_anchor_starting_a_thread_loop(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            import asyncio

            outcome = asyncio.run(stress.loop_in_a_thread(tmp_path / "a.txt", offload=False))
            raise outcome["error"]
        """,
    )
    result = stress.run("--blocking-io-report", "-p", "no:randomly")

    result.assert_outcomes(passed=1, failed=3)
    out = result.stdout.str()
    at = f"at:         src/svc/stress.py:{_line(stress, 'the blocking call')} in read"
    assert out.count(at) >= 3
    result.stdout.fnmatch_lines(
        [
            "*test_swallowed_in_the_thread_still_fails_the_anchor*",
            "*blocking-io: *swallowed*",
        ]
    )
    violations = _report(stress)["violations"]
    assert sorted((v["test"].rpartition("::")[2], v["swallowed"]) for v in violations) == [
        ("test_a_sync_anchor_starting_a_thread_loop", False),
        ("test_blocking_in_a_thread_loop_raises_in_that_thread", False),
        ("test_swallowed_in_the_thread_still_fails_the_anchor", True),
    ]
    assert {v["function"] for v in violations} == {"read"}


def test_run_in_executor_with_blocking_work_is_not_flagged(stress: Project) -> None:
    stress.anchor(
        "test_executor",
        """
        import pytest
        from svc import stress


        @pytest.mark.asyncio
        async def test_executors(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert await stress.executor_work(tmp_path / "a.txt") == ["x"] * 51
        """,
    )
    result = stress.run("--blocking-io-report")

    result.assert_outcomes(passed=1)
    assert _report(stress)["violations"] == []


def test_names_bound_while_the_gate_was_on_do_not_gate_later_tests(project: Project) -> None:
    """A module first imported inside a gated test binds the patched functions
    (`from time import sleep`). Outside the gate they must act as the originals; when the
    gate is on again, they are gated again."""
    project.module("lazy", "from time import sleep\n\n\nasync def nap():\n    sleep(0.001)\n")
    project.anchor(
        "test_lazy_1",
        """
        def test_1_gated_first_import():
            from svc import lazy  # imported under the gate: `sleep` is the patched one
        """,
    )
    project.anchor(
        "test_lazy_2",
        """
        import asyncio


        def test_2_unguarded_afterwards():
            from svc import lazy

            asyncio.run(lazy.nap())  # not gated: the stale binding must not raise
        """,
        folder="tests/unit",
    )
    project.anchor(
        "test_lazy_3",
        """
        import pytest


        @pytest.mark.asyncio
        async def test_3_gated_again():
            from svc import lazy

            await lazy.nap()
        """,
    )
    result = project.run(
        "-p", "no:randomly", "tests/blocking_io/test_lazy_1.py", "tests/unit",
        "tests/blocking_io/test_lazy_3.py",
    )  # fmt: skip

    result.assert_outcomes(passed=2, failed=1)
    assert "FAILED tests/blocking_io/test_lazy_3.py::test_3_gated_again" in result.stdout.str()
    result.stdout.fnmatch_lines(["*BIO301 sync-sleep*"])


def test_the_patched_functions_are_the_originals_after_a_stressed_session(
    stress: Project,
) -> None:
    """After a session with all of the above, nothing of the gate is left in this process."""
    import builtins
    import sqlite3
    import time

    originals = (builtins.open, time.sleep, sqlite3.connect)
    stress.anchor(
        "test_all",
        """
        import pytest
        from svc import stress


        @pytest.mark.asyncio
        async def test_many(tmp_path):
            path = tmp_path / "a.txt"
            path.write_text("x")
            await stress.crowd(path, tmp_path / "db", threads=4, tasks=200, rounds=10)


        @pytest.mark.asyncio
        async def test_nested(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            raise (await stress.loop_in_a_thread(tmp_path / "a.txt", offload=False))["error"]
        """,
    )
    result = stress.run()

    result.assert_outcomes(failed=2)
    assert (builtins.open, time.sleep, sqlite3.connect) == originals
    for function in originals:
        assert not hasattr(function, "__blocking_io_original__")
    assert (
        "blocking_io.runtime_gate.gates" not in sys.modules
        or not sys.modules["blocking_io.runtime_gate.gates"].active_gates()
    )
