"""The configured gate inside a pytest session (registered by `blocking_io.runtime_gate.plugin`).

Tests selected by `settings` run with the gate active for their whole protocol (setup,
call, teardown), so async fixtures and lifespan code are checked too. A BlockingIOViolation
the code under test caught and swallowed still fails the test, in the phase where it
happened. With `--blocking-io-report` the scanned lines each gated test executed are
recorded and the anchors contract is written (merged across xdist workers).
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from blocking_io.shared_rules.errors import InputError
from blocking_io.shared_rules.reports import MissingResults

from . import anchors, gates, settings
from .errors import describe_swallowed
from .executed import Recorder, recorder_for
from .gates import Gate, GateError
from .offload import Reverter

_BAD_MARKER = pytest.StashKey[str]()
_GATED = pytest.StashKey[bool]()
# set on the test reports of gated tests: pytest-xdist carries a report's attributes from a
# worker to the controller, which so knows which anchors went down with a crashed worker
_GATED_REPORT = "blocking_io_gated"


class GatePlugin:
    def __init__(self, config: pytest.Config, resolved: settings.PluginSettings) -> None:
        self.config = config
        self.settings = resolved
        self.gate: Gate | None = None
        self.recorder: Recorder | None = None
        self.reverter = (
            Reverter(
                resolved.revert,
                resolved.project.settings.offload_functions,
                machinery=resolved.project.registry.machinery,
            )
            if resolved.revert
            else None
        )
        self.part = anchors.Part()
        self.worker_parts: list[anchors.Part] = []
        self.executed_files: dict[str, str] = {}  # project-relative -> absolute path
        self.outcomes: dict[str, str] = {}
        self.notes: list[str] = []
        self.written: tuple[Path, int, int] | None = None
        self.recorded_via = ""
        self.is_worker = hasattr(config, "workerinput")
        # the controller of a pytest-xdist run: which worker ran which gated tests, whose
        # results arrived, and which went down without handing them over
        self.ran_on: dict[str, list[str]] = {}
        self.received: set[str] = set()
        self.down: dict[str, str] = {}  # worker -> why it went down without its results
        self.crashed_in: dict[str, str] = {}  # worker -> the test it crashed in
        self.incomplete: list[MissingResults] = []

    # -- selection -------------------------------------------------------------------------
    def _in_anchor_paths(self, item: pytest.Item) -> bool:
        try:
            rel = Path(item.path).resolve().relative_to(self.settings.root.resolve()).as_posix()
        except ValueError:
            return False
        return any(rel == a or rel.startswith(a + "/") for a in self.settings.anchor_paths)

    def _select(self, item: pytest.Item) -> bool:
        gated = (
            self.settings.mode == "all"
            or item.get_closest_marker("blocking_io_gate") is not None
            or self._in_anchor_paths(item)
        )
        allow = item.get_closest_marker("allow_blocking_io")
        if allow is not None:
            reason = allow.kwargs.get("reason", allow.args[0] if allow.args else None)
            if not isinstance(reason, str) or not reason.strip():
                item.stash[_BAD_MARKER] = (
                    "@pytest.mark.allow_blocking_io needs a reason: "
                    '@pytest.mark.allow_blocking_io(reason="why blocking is fine here")'
                )
                return False
            return False
        return gated

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            item.stash[_GATED] = self._select(item)
        if any(item.stash[_GATED] for item in items):
            self._build_gate()

    def _build_gate(self) -> None:
        if self.gate is not None:
            return
        where = self.settings.project.path or "pyproject.toml"
        if not self.settings.scanned_modules:
            raise pytest.UsageError(
                f"{where}: [tool.blocking-io].scanned-modules is empty; the runtime gate needs "
                "the project's top-level packages (or --blocking-io-scanned=MODULE)"
            )
        extra = [
            key
            for rule in self.settings.project.extra_rules
            for spec in [rule.runtime, *(t.runtime for t in rule.targets if t.runtime)]
            for key in spec.keys
        ]
        gate = Gate(
            self.settings.scanned_modules,
            registry=self.settings.project.registry,
            root=self.settings.root,
            strict_keys=extra,
            reverter=self.reverter,
            fail_on_swallowed=False,
        )
        try:
            gate.build()
        except GateError as exc:
            raise pytest.UsageError(f"{where}: [tool.blocking-io]: {exc}") from None
        gate.plugin_owned = True
        self.gate = gate
        if self.settings.report is not None:
            real = tuple(
                dict.fromkeys([*gate.scope.scanned_paths, *map(_real, gate.scope.scanned_paths)])
            )
            try:
                self.recorder = recorder_for(real)
            except RuntimeError as exc:
                self.notes.append(f"executed lines are not recorded: {exc}")

    # -- the protocol ----------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        gate = self.gate
        if gate is None or not item.stash.get(_GATED, False):
            return (yield)
        if gates.active_gates():  # left by code outside any test (a session fixture, a hook)
            self.notes.append(f"{len(gates.unwind())} gate(s) were active before {item.nodeid}")
        gate.test = item.nodeid
        if self.reverter is not None:
            self.reverter.test = item.nodeid
        try:
            gate.activate()
        except Exception as exc:  # fail this test, not the session; patches are rolled back
            item.stash[_BAD_MARKER] = f"blocking-io: the gate could not be activated: {exc}"
            return (yield)
        recorder = self.recorder
        try:
            if recorder is not None:
                recorder.start()
            try:
                return (yield)
            finally:
                lines = recorder.stop() if recorder is not None else None
        finally:
            gate.force_deactivate()
            self._record(item, lines if recorder is not None else None)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, object, object]:
        if self.gate is not None:
            self.gate.phase = "setup"
        result = yield
        message = item.stash.get(_BAD_MARKER, None)
        if message is not None:  # after setup ran, so that teardown finds what it expects
            pytest.fail(message, pytrace=False)
        return result

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, object, object]:
        if self.gate is not None:
            self.gate.phase = "call"
        return (yield)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, object, object]:
        if self.gate is not None:
            self.gate.phase = "teardown"
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        gate = self.gate
        if gate is None or not item.stash.get(_GATED, False):
            return report
        outcome = call.excinfo.value if call.excinfo is not None else None
        phase = [v for v in gate.violations if v.phase == call.when]
        swallowed = gate.swallowed(outcome) if phase else []
        swallowed = [v for v in swallowed if v.phase == call.when]
        hidden = {id(v) for v in swallowed}
        setattr(report, _GATED_REPORT, True)
        for violation in phase:
            self.part.violations.append(violation.entry(id(violation) in hidden))
        if swallowed:
            text = "blocking-io: " + describe_swallowed(swallowed)
            if report.passed:
                report.outcome = "failed"
                report.longrepr = text
            else:
                report.sections.append(("blocking-io: swallowed blocking calls", text))
        self._outcome(item.nodeid, report)
        return report

    def _outcome(self, nodeid: str, report: pytest.TestReport) -> None:
        previous = self.outcomes.get(nodeid, "passed")
        if report.when == "call":
            now = "failed" if report.failed else "skipped" if report.skipped else "passed"
        elif report.failed:
            now = "error"
        elif report.skipped:
            now = "skipped"
        else:
            now = previous
        if previous == "failed" or (previous == "error" and now != "failed"):
            now = previous
        self.outcomes[nodeid] = now

    def _record(self, item: pytest.Item, lines: dict[str, set[int]] | None) -> None:
        gate = self.gate
        assert gate is not None
        executed: dict[str, list[int]] = {}
        for filename, numbers in sorted((lines or {}).items()):
            rel = gate.scope.relpath(filename)
            executed[rel] = sorted(numbers)
            self.executed_files.setdefault(rel, filename)
        # no report at all: the session was interrupted inside this test
        self.part.add_anchor(item.nodeid, self.outcomes.pop(item.nodeid, "error"), executed)
        gate.violations = []

    # -- session end -------------------------------------------------------------------------
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        node = getattr(report, "node", None)  # set by pytest-xdist on the controller only
        if node is not None and getattr(report, _GATED_REPORT, False):
            tests = self.ran_on.setdefault(_worker_id(node), [])
            if report.nodeid not in tests:
                tests.append(report.nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: Any, sched: Any) -> None:
        node = getattr(report, "node", None)
        if node is not None:
            self.crashed_in[_worker_id(node)] = crashitem

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        worker = _worker_id(node)
        if worker in self.received:  # down twice (finished, then interrupted): counted once
            return
        data = getattr(node, "workeroutput", {}).get("blocking_io")
        if not data:
            # died before its pytest_sessionfinish (a crash, os._exit, the OOM killer): what
            # it recorded is gone; say so rather than write a report that looks whole
            self.down.setdefault(worker, str(error or "finished without its results"))
            return
        self.received.add(worker)
        self.worker_parts.append(anchors.Part.from_json(data["part"]))
        self.recorded_via = self.recorded_via or data["recorder"]
        if self.reverter is not None:
            for site in self.reverter.sites:
                self.reverter.hits.setdefault(site, []).extend(data["reverted"].get(str(site), []))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.part.hash_files(self.executed_files)
        if self.recorder is not None:
            self.recorded_via = self.recorder.name
        if self.is_worker:  # the controller merges the parts (pytest_testnodedown)
            hits = self.reverter.hits if self.reverter is not None else {}
            self.config.workeroutput["blocking_io"] = {  # type: ignore[attr-defined]
                "part": self.part.to_json(),
                "recorder": self.recorded_via,
                "reverted": {str(site): tests for site, tests in hits.items()},
            }
            return
        if self.settings.report is None:
            return
        self.incomplete = self._missing()
        if self.incomplete and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        merged = anchors.merge([self.part, *self.worker_parts])
        try:
            anchors.write(
                self.settings.report,
                merged,
                root=self.settings.root,
                scanned_modules=self.settings.scanned_modules,
                rules_hash=self.settings.project.registry.rules_hash,
                reverted=(
                    {str(site): tests for site, tests in self.reverter.hits.items()}
                    if self.reverter is not None
                    else None
                ),
                incomplete=self.incomplete,
            )
        except InputError as exc:
            self.notes.append(str(exc))
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        self.written = (self.settings.report, len(merged.anchors), len(merged.violations))

    def _missing(self) -> list[MissingResults]:
        out = []
        for worker, error in sorted(self.down.items()):
            crashed = self.crashed_in.get(worker)
            reason = (
                f"worker {worker!r} crashed while running {crashed!r}"
                if crashed
                else f"worker {worker!r} went down: {error}"
            )
            tests = list(self.ran_on.get(worker, []))
            if crashed and crashed not in tests:
                tests.append(crashed)
            out.append(MissingResults(worker=worker, reason=reason, tests=sorted(tests)))
        return out

    def pytest_report_header(self, config: pytest.Config) -> str:
        s = self.settings
        where = "all tests" if s.mode == "all" else ", ".join(s.anchor_paths) + " (+ marked)"
        scanned = ", ".join(s.scanned_modules) or "none"
        return f"blocking-io: runtime gate on {where}; scanned modules: {scanned}"

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        lines = list(self.notes)
        if self.written:
            path, count, violations = self.written
            via = f"; lines via {self.recorded_via}" if self.recorded_via else ""
            lines.append(f"anchors report: {path} ({count} anchors, {violations} violations{via})")
        if self.reverter is not None:
            for site in self.reverter.sites:
                tests = sorted(self.reverter.hits.get(site, []))
                lines.append(
                    f"reverted offload {site}: ran inline in {len(tests)} test(s)"
                    + (f" ({', '.join(tests)})" if tests else " (never reached)")
                )
        if lines:
            terminalreporter.write_sep("-", "blocking-io")
            for line in lines:
                terminalreporter.write_line(line)
        if self.written and self.incomplete:
            terminalreporter.write_sep("!", "blocking-io: anchors report is INCOMPLETE", red=True)
            for missing in self.incomplete:
                count = len(missing.tests)
                terminalreporter.write_line(
                    f"{missing.reason}: the anchors and violations of the {count} gated "
                    f"test{'' if count == 1 else 's'} it ran are missing from "
                    f"{self.written[0]} ({', '.join(missing.tests)})",
                    red=True,
                )
            terminalreporter.write_line(
                "the report is marked incomplete: `blocking-io gaps` calls no finding guarded "
                "from it; fix the crash and run the anchors again",
                red=True,
            )

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.gate is not None:
            self.gate.deactivate()
        if self.recorder is not None:
            self.recorder.close()


def _worker_id(node: Any) -> str:
    gateway = getattr(node, "gateway", None)
    return str(getattr(gateway, "id", None) or getattr(node, "workerid", "?"))


def _real(path: str) -> str:
    real = os.path.realpath(path)
    return os.path.join(real, "") if path.endswith(os.sep) else real
