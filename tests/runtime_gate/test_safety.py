"""Patches always come back: after errors, KeyboardInterrupt, a failed activation, nesting in
any order, and a gate a crashing test left behind. Plus the library API (gate, guard)."""

from __future__ import annotations

import asyncio
import builtins
import importlib
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import blocking_io.runtime_gate
import pytest
from blocking_io.runtime_gate import gates
from blocking_io.shared_rules.registry import builtin_registry, parse_rules

if TYPE_CHECKING:
    from conftest import Project

pytest_plugins = ["pytester"]

MODULE = '''
import asyncio


def load(path):
    with open(path) as f:
        return f.read()


async def blocking(path):
    return load(path)


async def offloaded(path):
    return await asyncio.to_thread(load, path)


class Frozen(type):
    """A class whose attributes cannot be replaced (like a sealed SDK client)."""

    def __setattr__(cls, name, value):
        raise {error}("attributes of this class are frozen")


class Client(metaclass=Frozen):
    def fetch(self):
        return "data"
'''


def _package(root: Path, name: str, error: str = "RuntimeError") -> Any:
    (root / name).mkdir()
    (root / name / "__init__.py").write_text(MODULE.format(error=error))
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


@pytest.fixture
def pkg(tmp_path: Path) -> Iterator[Any]:
    module = _package(tmp_path, "safety_pkg")
    (tmp_path / "a.txt").write_text("x")
    yield module
    sys.modules.pop("safety_pkg", None)


def snapshot(gate: blocking_io.runtime_gate.Gate) -> dict[tuple[int, str], Any]:
    """What every patched owner holds in its own __dict__ for every patched name."""
    gate.build()
    assert gate._patches
    return {(id(p.owner), p.name): vars(p.owner).get(p.name, "<absent>") for p in gate._patches}


def pristine(gate: blocking_io.runtime_gate.Gate, before: dict[tuple[int, str], Any]) -> bool:
    now = snapshot(gate)
    return all(now[key] is before[key] for key in before) and not gates.active_gates()


def test_restored_after_an_exception(pkg: Any, tmp_path: Path) -> None:
    gate = blocking_io.runtime_gate.Gate(["safety_pkg"])
    before = snapshot(gate)
    with pytest.raises(blocking_io.runtime_gate.BlockingIOViolation), gate:
        assert not pristine(gate, before)
        asyncio.run(pkg.blocking(tmp_path / "a.txt"))
    assert pristine(gate, before)


def test_restored_after_keyboard_interrupt(pkg: Any) -> None:
    gate = blocking_io.runtime_gate.Gate(["safety_pkg"])
    before = snapshot(gate)
    with pytest.raises(KeyboardInterrupt), gate:
        raise KeyboardInterrupt
    assert pristine(gate, before)


def _frozen_rule(error_module: str) -> Any:
    return parse_rules(
        [
            {
                "id": "PRJ001",
                "name": "frozen-client",
                "category": "sdk",
                "severity": "high",
                "title": "t",
                "message": "`{symbol}` m",
                "fix": "f",
                "runtime": {"mode": "patch", "keys": [f"{error_module}.Client.fetch"]},
                "targets": [f"{error_module}.Client.fetch"],
            }
        ],
        "test",
    )


@pytest.mark.parametrize("error", ["RuntimeError", "KeyboardInterrupt"])
def test_failed_activation_rolls_back_every_patch(tmp_path: Path, error: str) -> None:
    """The last patch (a project rule's) cannot be applied: the others are undone."""
    name = f"frozen_{error.lower()}"
    _package(tmp_path, name, error)
    try:
        registry = builtin_registry().configured(extra_rules=_frozen_rule(name))
        gate = blocking_io.runtime_gate.Gate([name], registry=registry)
        before = snapshot(gate)
        raised = RuntimeError if error == "RuntimeError" else KeyboardInterrupt
        with pytest.raises(raised, match="frozen"):
            gate.activate()
        assert pristine(gate, before)
        assert not gate.active
    finally:
        sys.modules.pop(name, None)


def test_nested_gates_restore_in_any_order(pkg: Any, tmp_path: Path) -> None:
    outer = blocking_io.runtime_gate.Gate(["safety_pkg"])
    inner = blocking_io.runtime_gate.Gate(
        ["safety_pkg"], registry=builtin_registry().configured(ignore=["BIO101", "BIO104"])
    )
    before = snapshot(outer)
    snapshot(inner)
    with outer:
        with inner:  # the inner gate's rules apply while it is active
            asyncio.run(pkg.blocking(tmp_path / "a.txt"))
        with pytest.raises(blocking_io.runtime_gate.BlockingIOViolation):  # the outer one is back
            asyncio.run(pkg.blocking(tmp_path / "a.txt"))
        outer.violations.clear()
        with outer:  # re-entering the same gate is counted, not re-applied
            pass
        assert outer.active
    assert pristine(outer, before)

    outer.activate()
    inner.activate()
    outer.deactivate()  # out of order: the inner gate is unwound first
    assert not inner.active and pristine(outer, before)
    inner.deactivate()  # a no-op now
    assert pristine(outer, before)


def test_gate_left_active_by_a_crashing_test_does_not_leak(bare: Project) -> None:
    """Even where the plugin is not configured (only the safety hook runs)."""
    bare.anchor(
        "test_leak",
        """
        import asyncio
        import builtins
        import blocking_io.runtime_gate


        def load(path):
            with open(path) as f:
                return f.read()


        def test_crashes_inside_a_gate():
            blocking_io.runtime_gate.gate(scanned_modules=["blocking_io.runtime_gate"]).activate()
            raise RuntimeError("crash before the gate was exited")


        def test_next_test_is_clean(tmp_path):
            assert not hasattr(builtins.open, "__blocking_io_original__")
            (tmp_path / "a").write_text("x")

            async def main():
                return load(tmp_path / "a")

            assert asyncio.run(main()) == "x"
        """,
        folder="tests",
    )
    original_open = builtins.open
    result = bare.run("-W", "always")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_crashes_inside_a_gate left 1 blocking-io gate(s) active; they were deactivated*"]
    )
    assert builtins.open is original_open and not gates.active_gates()


def test_keyboard_interrupt_in_a_gated_test_restores_everything(project: Project) -> None:
    project.anchor(
        "test_interrupt",
        """
        import builtins
        import pytest


        @pytest.mark.asyncio
        async def test_interrupted():
            assert hasattr(builtins.open, "__blocking_io_original__")  # the gate is on
            raise KeyboardInterrupt
        """,
    )
    probe = blocking_io.runtime_gate.Gate(["blocking_io.runtime_gate"])
    before = snapshot(probe)
    result = project.run(no_reraise_ctrlc=True)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert pristine(probe, before)


def test_plugin_fails_only_the_test_whose_gate_cannot_activate(project: Project) -> None:
    project.module("frozen", MODULE.format(error="RuntimeError"))
    rule = textwrap.dedent(
        """
        [[tool.blocking-io.extra-rules]]
        id = "PRJ001"
        name = "frozen-client"
        category = "sdk"
        severity = "high"
        title = "t"
        message = "`{symbol}` m"
        fix = "f"
        runtime = { mode = "patch", keys = ["svc.frozen.Client.fetch"] }
        targets = ["svc.frozen.Client.fetch"]
        """
    )
    text = (project.path / "pyproject.toml").read_text()
    head, _, tail = text.partition("\n[tool.pytest.ini_options]")
    (project.path / "pyproject.toml").write_text(f"{head}\n{rule}\n[tool.pytest.ini_options]{tail}")
    project.anchor("test_a", "def test_a():\n    pass\n")
    project.anchor("test_unit", "def test_unit():\n    pass\n", folder="tests/unit")
    probe = blocking_io.runtime_gate.Gate(["blocking_io.runtime_gate"])
    before = snapshot(probe)
    result = project.run()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*blocking-io: the gate could not be activated: attributes of this class are frozen*"]
    )
    assert pristine(probe, before)


def test_guard_decorates_async_functions(tmp_path: Path) -> None:
    (tmp_path / "guarded_pkg").mkdir()
    (tmp_path / "guarded_pkg" / "__init__.py").write_text(
        textwrap.dedent(
            """
            import asyncio
            import blocking_io.runtime_gate


            def load(path):
                with open(path) as f:
                    return f.read()


            @blocking_io.runtime_gate.guard
            async def blocking(path):
                return load(path)


            @blocking_io.runtime_gate.guard
            async def offloaded(path):
                return await asyncio.to_thread(load, path)
            """
        )
    )
    (tmp_path / "a.txt").write_text("x")
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        mod = importlib.import_module("guarded_pkg")
        with pytest.raises(blocking_io.runtime_gate.BlockingIOViolation, match="BIO101") as raised:
            asyncio.run(mod.blocking(tmp_path / "a.txt"))
        assert raised.value.violation.site.function == "load"
        assert asyncio.run(mod.offloaded(tmp_path / "a.txt")) == "x"
        assert not gates.active_gates()
        with open(tmp_path / "a.txt") as f:  # outside the guarded call nothing is patched
            assert f.read() == "x"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("guarded_pkg", None)

    def not_async() -> None:
        pass

    with pytest.raises(TypeError, match="guard decorates async functions"):
        blocking_io.runtime_gate.guard(not_async)


def test_gate_needs_scanned_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here or above
    with pytest.raises(blocking_io.runtime_gate.GateError, match="the gate needs scanned_modules"):
        blocking_io.runtime_gate.gate()
    with pytest.raises(
        blocking_io.runtime_gate.GateError, match="cannot import scanned module 'nope_x'"
    ):
        blocking_io.runtime_gate.gate(scanned_modules=["nope_x"]).activate()


# -- loop callbacks: the gate must not turn an anchor into a hang -----------------------------

CALLBACKS = """\
import asyncio
import time


async def wait_ready():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def on_ready():
        time.sleep(0.01)  # blocks the loop, then resolves the future the caller awaits
        fut.set_result("ready")

    loop.call_soon(on_ready)
    return await fut


async def wait_done():
    loop = asyncio.get_running_loop()
    first, second = loop.create_future(), loop.create_future()

    def chained(done):
        with open(__file__) as fh:  # in a done callback
            fh.read(1)
        second.set_result(done.result() + 1)

    first.add_done_callback(chained)
    loop.call_later(0.001, first.set_result, 1)
    return await second


async def in_the_coroutine():
    time.sleep(0.01)  # raised here as always: the test sees it at once
"""


def test_a_blocking_call_in_a_loop_callback_fails_the_anchor_instead_of_hanging_it(
    project: Project,
) -> None:
    project.module("callbacks", CALLBACKS)
    project.anchor(
        "test_callbacks",
        """
        import pytest
        from svc import callbacks


        @pytest.mark.asyncio
        async def test_call_soon_resolves_a_future():
            assert await callbacks.wait_ready() == "ready"


        @pytest.mark.asyncio
        async def test_done_callback_resolves_a_future():
            assert await callbacks.wait_done() == 2


        @pytest.mark.asyncio
        async def test_in_the_coroutine():
            await callbacks.in_the_coroutine()
        """,
    )
    # pytest-timeout only stands guard: before the fix the first test waited for ever
    result = project.run_subprocess("--timeout=20", "--blocking-io-report=anchors.json")
    assert "Timeout" not in result.stdout.str()
    result.assert_outcomes(failed=3)
    out = result.stdout.str()
    # the callback ran to its end (the future was set), and the test failed at its end,
    # naming the violation and where the loop ran it
    result.stdout.fnmatch_lines(
        [
            "*test_call_soon_resolves_a_future*",
            "blocking-io: 1 blocking call on the event loop ran in a loop callback (recorded "
            "there and the callback let finish: raised, the loop would have swallowed the error "
            "and the test could hang):",
            "BIO301 sync-sleep: *",
            "  at:         src/svc/callbacks.py:10 in *on_ready",  # (3.10: no qualified names)
            "  in callback: run by the loop (call_soon, call_later, a done callback, a protocol "
            "method), not by a task",
        ]
    )
    assert "at:         src/svc/callbacks.py:22 in " in out
    # the coroutine's own blocking call is still raised where it happens
    result.stdout.fnmatch_lines(["*in_the_coroutine*", "E   *BlockingIOViolation: BIO301*"])
    report = json.loads((project.path / "anchors.json").read_text())
    assert sorted(
        (v["test"].rpartition("::")[2], v["rule"], v["line"]) for v in report["violations"]
    ) == [
        ("test_call_soon_resolves_a_future", "BIO301", 10),
        ("test_done_callback_resolves_a_future", "BIO101", 22),
        ("test_done_callback_resolves_a_future", "BIO104", 23),
        ("test_in_the_coroutine", "BIO301", 32),
    ]


@pytest.mark.timeout(60)  # stands guard: before the fix, asyncio.run never returned
def test_a_gate_outside_pytest_fails_at_its_exit_for_a_callback_violation(tmp_path: Path) -> None:
    pkg_dir = tmp_path / "cbpkg"
    pkg_dir.mkdir()
    (pkg_dir / "__init__.py").write_text(CALLBACKS)
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("cbpkg")
        gate = blocking_io.runtime_gate.gate(scanned_modules=["cbpkg"], root=tmp_path)
        # the gate's exit raises it, once asyncio.run has returned
        swallowed = pytest.raises(blocking_io.runtime_gate.SwallowedBlockingIO, match="callback")
        with swallowed, gate:
            assert asyncio.run(module.wait_ready()) == "ready"  # finishes: no hang
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("cbpkg", None)
