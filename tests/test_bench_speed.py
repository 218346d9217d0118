"""The speed section's schedule: tools are run interleaved, round by round, so that the load
of a shared machine falls on every tool alike (the timings themselves: test_bench_smoke)."""

from __future__ import annotations

from pathlib import Path

from bench.speed import REPEAT_LIMIT, ToolSpeed, _Edit, _interleaved, _Timer


def _timers(log: list[str], seconds: dict[str, float]) -> list[_Timer]:
    def timer(name: str) -> _Timer:
        def run(kind: str) -> float:
            log.append(f"{kind}:{name}")
            return seconds.get(name, 1.0)

        return _Timer(ToolSpeed(name), lambda: run("cold"), lambda: run("warm"))

    return [timer(name) for name in ("a", "b", "c")]


def test_every_round_runs_each_tool_once_in_turn():
    log: list[str] = []
    timers = _timers(log, {})
    _interleaved(timers, 3, lambda t: t.cold, lambda r: r.cold)
    assert log == ["cold:a", "cold:b", "cold:c"] * 3
    assert [t.result.cold for t in timers] == [[1.0] * 3] * 3


def test_a_slow_tool_is_measured_once_and_a_failed_one_stops(tmp_path: Path):
    log: list[str] = []
    timers = _timers(log, {"b": REPEAT_LIMIT + 1})
    timers[2].result.error = "exit 2"
    _interleaved(timers, 3, lambda t: t.cold, lambda r: r.cold)
    assert log == ["cold:a", "cold:b", "cold:a", "cold:a"]
    no_cache = _Timer(ToolSpeed("d"), lambda: 1.0)  # no warm runs: skipped
    _interleaved([no_cache], 3, lambda t: t.warm, lambda r: r.warm)
    assert no_cache.result.warm == []


def test_edited_rounds_edit_the_file_once_per_round_and_restore_it(tmp_path: Path):
    path = tmp_path / "big.py"
    path.write_text("x = 1\n")
    log: list[str] = []
    timers = _timers(log, {})
    edit = _Edit(path)
    seen: list[str] = []

    def before() -> None:
        edit()
        seen.append(path.read_text())

    try:
        _interleaved(timers, 2, lambda t: t.warm, lambda r: r.edit, before)
    finally:
        edit.restore()
    assert log == ["warm:a", "warm:b", "warm:c"] * 2
    edits = [f"\n\ndef _bench_edit_{n}():\n    return {n}\n" for n in (1, 2)]
    assert seen == [f"x = 1\n{edit}" for edit in edits]
    assert path.read_text() == "x = 1\n"
