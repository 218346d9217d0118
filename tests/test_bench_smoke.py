"""Smoke test of `python -m bench --quick`: the harness runs the real tools on the corpus and
its tables hold numbers computed from those runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.corpus import CORPUS_DIR, load_corpus
from bench.measure import run_measured
from bench.peers import flake8_missing, ruff_command

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ["blocking-io", "ruff", "flake8-async"]


def _bench(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_quick_bench_on_the_corpus(tmp_path: Path) -> None:
    """One real `--quick` run (accuracy, speed and scale); each check below reads its results. A
    single test, so that pytest-xdist workers do not each run the bench."""
    results = _run_quick(tmp_path)
    check_accuracy_totals_are_consistent(results)
    check_ruff_hits_match_an_independent_ruff_run(results)
    check_flake8_async_is_scored_or_reported_missing(results)
    check_speed_rows_come_from_real_runs(results)
    check_scale_runs_find_every_seeded_primitive(results)
    check_tables_are_printed_and_written(results)


def _run_quick(out: Path) -> dict:
    proc = _bench(
        "--quick",
        "--only",
        "accuracy,speed,scale",
        "--work-dir",
        str(out / "work"),
        "--json",
        str(out / "bench.json"),
        "--output",
        str(out / "benchmarks.md"),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    results["_stdout"] = proc.stdout
    results["_markdown"] = (out / "benchmarks.md").read_text(encoding="utf-8")
    return results


def check_scale_runs_find_every_seeded_primitive(quick: dict) -> None:
    from bench.scale import SEED_EVERY

    scale = quick["scale"]
    modules = scale["modules"]
    assert scale["lines"] > modules * 150
    labels = [(r["label"], r["jobs"]) for r in scale["runs"]]
    assert len(set(labels)) == len(labels) == 4
    for run in scale["runs"]:
        assert run["error"] is None, run
        assert run["findings"] == modules + modules // SEED_EVERY
        assert run["seconds"] > 0 and run["rss_kib"] > 0
    assert "Scale: a generated tree of" in quick["_markdown"]


def _tool(results: dict, name: str) -> dict:
    (found,) = [t for t in results["accuracy"]["tools"] if t["tool"] == name]
    return found


def check_accuracy_totals_are_consistent(quick: dict) -> None:
    corpus = load_corpus()
    accuracy = quick["accuracy"]
    assert [t["tool"] for t in accuracy["tools"]] == TOOLS
    assert accuracy["expected"] == corpus.count_expected()
    assert accuracy["ok"] == corpus.count_ok()
    for tool in accuracy["tools"]:
        if tool["missing"]:
            continue
        total = tool["total"]
        assert total["tp"] + total["fn"] == corpus.count_expected(), tool["tool"]
        assert total["ok_total"] == corpus.count_ok()
        assert total["tp"] == len(tool["hits"])
        assert total["fp"] == len(tool["false_positives"])
        assert total["precision"] == pytest.approx(total["tp"] / (total["tp"] + total["fp"]))
        assert total["recall"] == pytest.approx(total["tp"] / corpus.count_expected())
        for key in ("tp", "fn", "fp", "ok_flagged"):
            assert sum(s[key] for s in tool["by_feature"].values()) == total[key]


def check_ruff_hits_match_an_independent_ruff_run(quick: dict) -> None:
    """Re-run ruff on the corpus directory here and recompute its hits from scratch."""
    assert ruff_command(), "ruff is a dev dependency"
    proc = subprocess.run(
        [
            *ruff_command(),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "ASYNC",
            "--preview",
            "--output-format",
            "json",
            "--exit-zero",
            ".",
        ],
        cwd=CORPUS_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    flagged = {
        (Path(d["filename"]).resolve().relative_to(CORPUS_DIR).as_posix(), d["location"]["row"])
        for d in json.loads(proc.stdout)
        if (d.get("code") or "").startswith("ASYNC2")
    }
    expected = {
        (f.rel, line, rule) for f in load_corpus().files for line, rule in f.expected_keys()
    }
    hits = {(path, line, rule) for path, line, rule in expected if (path, line) in flagged}
    ruff = _tool(quick, "ruff")
    assert ruff["missing"] is None
    assert {tuple(h) for h in ruff["hits"]} == hits
    assert hits, "ruff flags direct calls such as time.sleep in an async def"


def check_flake8_async_is_scored_or_reported_missing(quick: dict) -> None:
    flake8 = _tool(quick, "flake8-async")
    reason = flake8_missing()
    if reason:
        assert flake8["missing"] == reason
        assert f"not available: {reason}" in quick["_markdown"]
    else:
        assert flake8["missing"] is None
        assert flake8["total"]["tp"] > 0


def check_speed_rows_come_from_real_runs(quick: dict) -> None:
    (target,) = quick["speed"]
    source = CORPUS_DIR / "flake8_async"
    files = sorted(source.rglob("*.py"))
    assert target["files"] == len(files)
    assert target["lines"] == sum(p.read_bytes().count(b"\n") for p in files)
    for name in ("blocking-io", "ruff", "hydroid"):
        tool = target["tools"][name]
        assert tool["missing"] is None and tool["error"] is None, tool
        assert len(tool["cold"]) == 1 and tool["cold"][0] > 0
        assert len(tool["warm"]) == 1 and len(tool["edit"]) == 1
        assert tool["peak_mib"] > 0
        # summed over the process tree: never less than its largest process
        assert tool["peak_sum_mib"] >= tool["peak_mib"]
        if name != "hydroid":  # hydroid reports what it resolves without the libraries
            assert tool["findings"] > 0
    edited = source / target["edited"]
    assert "_bench_edit_" not in edited.read_text(encoding="utf-8")


def check_tables_are_printed_and_written(quick: dict) -> None:
    markdown, stdout = quick["_markdown"], quick["_stdout"]
    for title in (
        "Precision and recall on the labelled corpus",
        "Speed (median of 1 run)",
        "blocking-io / hydroid-cli (same run)",
    ):
        assert title in stdout
        assert f"### {title}" in markdown
    assert "| tool | hits | missed | false positives | ok lines flagged |" in markdown
    features = {f.feature for f in load_corpus().files}
    by_feature = next(t for t in quick["tables"]["Accuracy"] if "per feature" in t["title"])
    assert len(by_feature["rows"]) == len(features)
    assert "python -m bench --quick" in markdown
    assert "| cpu |" in markdown and "| flake8-async |" in markdown


def test_runtime_section_reports_a_missing_anchor_suite(tmp_path: Path) -> None:
    empty = tmp_path / "anchors"
    empty.mkdir()
    json_path = tmp_path / "bench.json"
    proc = _bench(
        "--quick",
        "--only",
        "runtime",
        "--anchors",
        str(empty),
        "--work-dir",
        str(tmp_path / "work"),
        "--json",
        str(json_path),
    )
    assert proc.returncode == 0, proc.stderr
    modes = json.loads(json_path.read_text(encoding="utf-8"))["runtime"]
    assert len(modes) == 4
    assert all(m["missing"] == f"no anchor tests in {empty}" and not m["seconds"] for m in modes)
    assert "not available: no anchor tests in" in proc.stdout


def test_unknown_section_is_a_usage_error() -> None:
    proc = _bench("--only", "accuracy,nope")
    assert proc.returncode == 2
    assert "unknown section(s) nope" in proc.stderr


def test_blockbuster_plugin_fails_a_blocking_test(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.blocking-io]\nscanned-modules = ["app"]\n')
    (tmp_path / "app.py").write_text("import time\n\ndef block():\n    time.sleep(0.01)\n")
    (tmp_path / "test_app.py").write_text(
        textwrap.dedent(
            """
            import pytest
            import app

            @pytest.mark.asyncio
            async def test_blocks():
                app.block()
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:blocking_io"]
    plain = subprocess.run(base, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert plain.returncode == 0, plain.stdout[-1500:]
    gated = subprocess.run(
        [*base, "-p", "bench.blockbuster_plugin"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert gated.returncode == 1, gated.stdout[-1500:]
    assert "BlockingError" in gated.stdout


def test_peak_memory_is_measured_per_child() -> None:
    big = run_measured([sys.executable, "-c", "data = b'x' * (300 * 1024 * 1024)"])
    small = run_measured([sys.executable, "-c", "pass"])
    assert big.returncode == 0 and small.returncode == 0
    assert big.max_rss_kib > 300 * 1024
    assert small.max_rss_kib < 100 * 1024
