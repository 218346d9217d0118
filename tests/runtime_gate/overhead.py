"""Measure what the runtime gate costs (not a test: speed is measured, never asserted).

    .venv/bin/python tests/runtime_gate/overhead.py [--runs 5] [--tests 60]

1. End to end: a generated anchor suite (async handlers doing offloaded file IO, JSON and
   some pure-Python work in a scanned package) run by pytest in a fresh process, in four
   modes; the median wall time of `--runs` runs each:
     none         no gate (`--blocking-io-gate=off`)
     blockbuster  a bare autouse `blockbuster_ctx(["svc"])` fixture
     gate         the blocking-io gate (Blockbuster + registry patches, swallowed check)
     gate+report  the gate recording executed lines and writing anchors.json
2. Line-recording mechanisms on the same workload, in this process: nothing, sys.settrace
   (scanned files only), coverage.py's own tracer (a second Coverage, include=scanned,
   started per round; `coverage.py*`: started once and read per round, as the gate reads
   pytest-cov's), and sys.monitoring (3.12+). This is why the gate records with sys.monitoring on 3.12+ and a
   minimal settrace below (coverage.py's tracer would also displace pytest-cov's).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SVC = """
import asyncio
import json


def _read(path):
    with open(path) as f:
        return f.read()


def _route(path):
    parts = [p for p in path.split("/") if p]
    table = {"users": "user", "orders": "order", "items": "item"}
    return table.get(parts[0], "unknown"), parts[1:] if len(parts) > 1 else []


def _score(record):
    total = 0
    for key, value in sorted(record.items()):
        total += len(key) * (value if isinstance(value, int) else len(str(value)))
    return total


async def handle(path, data_file):
    kind, rest = _route(path)
    text = await asyncio.to_thread(_read, data_file)
    records = json.loads(text)
    scores = [_score(r) for r in records]
    await asyncio.sleep(0)
    return {"kind": kind, "rest": rest, "best": max(scores), "count": len(scores)}
"""

CONFTEST = """
import json
import os

import pytest


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps([{"id": i, "name": f"n{i}", "tags": ["a"] * (i % 5)} for i in range(200)]))
    return path


if os.environ.get("BIO_MODE") == "blockbuster":
    from blockbuster import blockbuster_ctx

    @pytest.fixture(autouse=True)
    def _blockbuster():
        with blockbuster_ctx(["svc"]) as bb:
            yield bb
"""

ANCHOR = """
import pytest
import svc


@pytest.mark.asyncio
@pytest.mark.parametrize("n", range({count}))
async def test_handle(n, data_file):
    out = await svc.handle(f"/users/{{n}}/orders", data_file)
    assert out["count"] == 200 and out["kind"] == "user"
"""

PYPROJECT = """
[tool.blocking-io]
source-roots = ["src"]
scanned-modules = ["svc"]

[tool.pytest.ini_options]
asyncio_mode = "strict"
asyncio_default_fixture_loop_scope = "function"
"""

MODES = {
    "none": (["--blocking-io-gate=off", "-o", "pythonpath=src"], {}),
    "blockbuster": (
        ["--blocking-io-gate=off", "-o", "pythonpath=src"],
        {"BIO_MODE": "blockbuster"},
    ),
    "gate": ([], {}),
    "gate+report": (["--blocking-io-report=anchors.json"], {}),
}


def make_project(root: Path, tests: int) -> None:
    (root / "src" / "svc").mkdir(parents=True)
    (root / "src" / "svc" / "__init__.py").write_text(SVC)
    (root / "tests" / "blocking_io").mkdir(parents=True)
    (root / "tests" / "blocking_io" / "conftest.py").write_text(CONFTEST)
    (root / "tests" / "blocking_io" / "test_handle.py").write_text(ANCHOR.format(count=tests))
    (root / "pyproject.toml").write_text(PYPROJECT)


def run_pytest(root: Path, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the pytest process): CPU time is what the gate adds,
    and unlike wall time it hardly moves when other work shares the machine."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "no:hypothesispytest", "-p", "no:cov", "-p", "no:xdist", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=root, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"pytest failed ({' '.join(args)}):\n{out[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def end_to_end(runs: int, tests: int) -> None:
    """Per mode: CPU of a 1-test session (start-up, gate build) and per extra test."""
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "one", Path(tmp) / "many"
        for root, count in ((small, 1), (large, tests)):
            root.mkdir()
            make_project(root, count)
        wall: dict[str, list[float]] = {mode: [] for mode in MODES}
        cpu: dict[tuple[str, Path], list[float]] = {}
        for _ in range(runs):  # interleaved, so background load hits every mode alike
            for mode, (args, env) in MODES.items():
                for root in (small, large):
                    seconds, used = run_pytest(root, args, env)
                    cpu.setdefault((mode, root), []).append(used)
                    if root is large:
                        wall[mode].append(seconds)
        med = {key: statistics.median(values) for key, values in cpu.items()}
        per_test = {m: (med[m, large] - med[m, small]) / (tests - 1) * 1000 for m in MODES}
        print(f"end to end: fresh pytest processes, median of {runs} runs per mode and size")
        print(f"  {'mode':12s} {'wall':>7s} {'CPU':>7s} | start-up CPU  per test CPU (over none)")
        for mode in MODES:
            print(
                f"  {mode:12s} {statistics.median(wall[mode]):6.2f}s {med[mode, large]:6.2f}s |"
                f" {med[mode, small]:5.2f}s ({med[mode, small] - med['none', small]:+.2f}s)"
                f" {per_test[mode]:6.1f} ms ({per_test[mode] - per_test['none']:+.1f} ms)"
            )
        print(f"  (wall and CPU columns: the {tests}-test suite)")


def mechanisms(rounds: int) -> None:
    from blocking_io.runtime_gate import executed

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_project(root, 1)
        data = root / "data.json"
        data.write_text("[" + ",".join(f'{{"id": {i}, "name": "n{i}"}}' for i in range(200)) + "]")
        sys.path.insert(0, str(root / "src"))
        svc = importlib.import_module("svc")
        prefix = (os.path.join(str(root / "src" / "svc"), ""),)

        def workload() -> None:
            async def main() -> None:
                for n in range(20):
                    await svc.handle(f"/users/{n}", data)

            asyncio.run(main())

        def timed(start: object, stop: object) -> float:
            samples = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                start()  # type: ignore[operator]
                workload()
                stop()  # type: ignore[operator]
                samples.append(time.perf_counter() - t0)
            return statistics.median(samples) * 1000

        results = {"nothing": timed(lambda: None, lambda: None)}
        trace = executed.TraceRecorder(prefix)
        results["sys.settrace"] = timed(trace.start, trace.stop)
        try:
            import coverage

            cov = coverage.Coverage(data_file=None, include=[prefix[0] + "*"], config_file=False)

            def cov_stop() -> None:
                cov.stop()
                cov.get_data()
                cov.erase()

            results["coverage.py"] = timed(cov.start, cov_stop)
            # the same tracer started once, read per round the way the gate reads pytest-cov's
            cov.start()
            piggyback = executed.CoverageRecorder(prefix, cov._collector)
            results["coverage.py*"] = timed(piggyback.start, piggyback.stop)
            cov.stop()
        except ImportError:
            pass
        if hasattr(sys, "monitoring"):
            mon = executed.MonitoringRecorder(prefix)
            results["sys.monitoring"] = timed(mon.start, mon.stop)
            mon.close()
        print(f"recording mechanisms: 20 handled requests per round, median of {rounds} rounds")
        for name, ms in results.items():
            print(f"  {name:15s} {ms:7.2f} ms  ({ms / results['nothing']:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tests", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    mechanisms(args.rounds)
    end_to_end(args.runs, args.tests)


if __name__ == "__main__":
    main()
