"""Which lines of the scanned modules ran while a gated test ran (for anchors.json).

Picked per interpreter, by measurement (tests/runtime_gate/overhead.py: the cost on an
asyncio workload was ~1.3x for sys.monitoring, ~1.7x for coverage.py's C tracer started once,
4-8x for a Python settrace function, which asyncio's many calls make expensive):

- Python 3.12+: `sys.monitoring` under a tool id of our own. It sits beside coverage.py,
  debuggers and profilers instead of replacing them. LINE events are enabled only on code
  objects of the scanned modules and each line disables itself after its first hit; the
  next test re-arms them with `restart_events()`.
- Python < 3.12: there is one trace-function slot per thread. If coverage.py already holds
  it (pytest-cov), we read its collector: flush it before the test (the data moves into its
  CoverageData, as on every context switch) and read what it collected for the scanned files
  after; its results do not change, but it only sees files `--cov` measures. Otherwise we
  start a coverage.py tracer of our own (include = the scanned files, in memory) once, and
  read and clear its sets per test.
- Without coverage.py's C tracer: a minimal `sys.settrace` / `threading.settrace` tracer
  that returns a local tracer only for frames of the scanned files.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

Lines = dict[str, set[int]]  # absolute filename -> executed line numbers


class Recorder:
    """start() before a gated test, stop() -> lines after it; close() at session end."""

    name = "none"

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        self.prefixes = prefixes

    def start(self) -> None:
        pass

    def stop(self) -> Lines:
        return {}

    def close(self) -> None:
        pass


class MonitoringRecorder(Recorder):
    """sys.monitoring (PEP 669), Python 3.12+."""

    name = "sys.monitoring"

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__(prefixes)
        mon = sys.monitoring  # type: ignore[attr-defined]
        self._mon = mon
        # Free ids first: 0 debugger, 1 coverage, 2 profiler and 5 optimizer are conventional.
        for tool in (4, 3, 2, 0, 5):
            if mon.get_tool(tool) is None:
                mon.use_tool_id(tool, "blocking-io")
                self.tool = tool
                break
        else:
            raise RuntimeError("all sys.monitoring tool ids are in use")
        self._lines: set[tuple[str, int]] = set()
        self._codes: set[Any] = set()  # scanned code objects with local LINE events
        self._decided: dict[str, bool] = {}
        self._active = False
        mon.register_callback(self.tool, mon.events.PY_START, self._on_start)
        mon.register_callback(self.tool, mon.events.PY_RESUME, self._on_start)
        mon.register_callback(self.tool, mon.events.LINE, self._on_line)

    def _on_start(self, code: Any, _offset: int) -> Any:
        filename = code.co_filename
        scanned = self._decided.get(filename)
        if scanned is None:
            scanned = self._decided[filename] = filename.startswith(self.prefixes)
        if scanned and code not in self._codes:
            self._codes.add(code)
            self._mon.set_local_events(self.tool, code, self._mon.events.LINE)
        return self._mon.DISABLE

    def _on_line(self, code: Any, line: int) -> Any:
        if self._active:
            self._lines.add((code.co_filename, line))
        return self._mon.DISABLE

    def start(self) -> None:
        mon = self._mon
        self._lines = set()
        self._active = True
        for code in self._codes:
            mon.set_local_events(self.tool, code, mon.events.LINE)
        mon.set_events(self.tool, mon.events.PY_START | mon.events.PY_RESUME)
        mon.restart_events()  # re-arm the lines (and starts) disabled during earlier tests

    def stop(self) -> Lines:
        mon = self._mon
        self._active = False
        mon.set_events(self.tool, 0)
        for code in self._codes:
            mon.set_local_events(self.tool, code, 0)
        return _group(self._lines)

    def close(self) -> None:
        mon = self._mon
        if mon.get_tool(self.tool) == "blocking-io":
            mon.set_events(self.tool, 0)
            for code in self._codes:
                mon.set_local_events(self.tool, code, 0)
            for event in (mon.events.PY_START, mon.events.PY_RESUME, mon.events.LINE):
                mon.register_callback(self.tool, event, None)
            mon.free_tool_id(self.tool)


class TraceRecorder(Recorder):
    """sys.settrace for the scanned files only (Python < 3.12, nobody else tracing)."""

    name = "sys.settrace"

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__(prefixes)
        self._lines: set[tuple[str, int]] = set()
        self._decided: dict[Any, bool] = {}
        self.displaced: Any = None

    def _global(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        code = frame.f_code
        scanned = self._decided.get(code)
        if scanned is None:
            scanned = self._decided[code] = code.co_filename.startswith(self.prefixes)
        return self._local if scanned else None

    def _local(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        if event == "line":
            self._lines.add((frame.f_code.co_filename, frame.f_lineno))
        return self._local

    def start(self) -> None:
        self._lines = set()
        self.displaced = sys.gettrace()
        if self.displaced is not None:  # a debugger or profiler holds the slot: leave it
            return
        threading.settrace(self._global)
        sys.settrace(self._global)

    def stop(self) -> Lines:
        if self.displaced is None:
            sys.settrace(None)
            threading.settrace(None)
        return _group(self._lines)


class CoverageRecorder(Recorder):
    """Reads a coverage.py collector: pytest-cov's (`collector` given) or one of our own."""

    def __init__(self, prefixes: tuple[str, ...], collector: Any = None) -> None:
        super().__init__(prefixes)
        self._collector = collector
        self._own: Any = None
        self.name = "coverage.py (pytest-cov)" if collector is not None else "coverage.py"

    def start(self) -> None:
        if self._collector is None:  # ours: started at the first gated test, kept running
            import coverage

            include = [os.path.join(p, "*") if p.endswith(os.sep) else p for p in self.prefixes]
            self._own = coverage.Coverage(data_file=None, include=include, config_file=False)
            self._own.start()
            self._collector = self._own._collector
        if self._own is not None:  # nobody else needs the data: clear the live sets in place
            for lines in list(self._collector.data.values()):
                lines.clear()
        else:  # pytest-cov's: hand what it has to its CoverageData first
            self._collector.flush_data()

    def close(self) -> None:
        if self._own is not None:
            self._own.stop()
            self._own.erase()
            self._own = None

    def stop(self) -> Lines:
        collector = self._collector
        out: Lines = {}
        for filename, items in dict(collector.data).items():
            if not filename.startswith(self.prefixes):
                continue
            lines = out.setdefault(filename, set())
            for item in set(items):
                if isinstance(item, int):
                    if collector.branch:  # packed arc, see coverage/collector.py
                        lines.update(_unpack_arc(item))
                    else:
                        lines.add(item)
                else:  # (from, to) arc tuple; negative numbers are entry/exit markers
                    lines.update(n for n in item if n > 0)
        return {f: lines for f, lines in out.items() if lines}


def _unpack_arc(packed: int) -> tuple[int, ...]:
    l1 = packed & 0xFFFFFFF
    l2 = (packed >> 28) & 0xFFFFFFF
    if packed & (1 << 56):
        l1 = -l1
    if packed & (1 << 57):
        l2 = -l2
    return tuple(n for n in (l1, l2) if n > 0)


def _group(pairs: set[tuple[str, int]]) -> Lines:
    out: Lines = {}
    for filename, line in pairs:
        if line > 0:
            out.setdefault(filename, set()).add(line)
    return out


def _running_coverage_collector() -> Any | None:
    coverage = sys.modules.get("coverage")
    if coverage is None:
        return None
    current = coverage.Coverage.current()
    collector = getattr(current, "_collector", None)
    if collector is None or not getattr(collector, "tracers", None):
        return None
    if not hasattr(collector, "flush_data") or not isinstance(
        getattr(collector, "data", None), dict
    ):
        return None
    return collector


def _coverage_ctracer() -> bool:
    try:
        from coverage.tracer import CTracer  # noqa: F401
    except ImportError:
        return False
    return True


def recorder_for(prefixes: tuple[str, ...]) -> Recorder:
    """The best recorder on this interpreter, for code under `prefixes`."""
    if hasattr(sys, "monitoring"):
        return MonitoringRecorder(prefixes)
    collector = _running_coverage_collector()
    if collector is not None:
        return CoverageRecorder(prefixes, collector)
    if sys.gettrace() is None and _coverage_ctracer():
        return CoverageRecorder(prefixes)
    return TraceRecorder(prefixes)
