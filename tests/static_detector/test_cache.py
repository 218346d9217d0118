"""The result and summary cache in <report-dir>/cache: served when nothing changed, never stale,
robust against corrupt entries and concurrent scans, and off with --no-cache."""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import InitVar, dataclass
from pathlib import Path

from blocking_io.shared_rules import load_config
from blocking_io.shared_rules.reports import FindingsReport, report_json
from blocking_io.static_detector.scan import scan
from detect_support import (
    APP_FINDINGS,
    detect,
    keys,
    make_project,
    report_of,
    without_stats,
    write,
)

ASYNC_CALLER = ("app/handlers.py", "app.handlers.fine", "BIO301")


def cache_files(root: Path) -> dict[str, bytes]:
    base = root / ".blocking-io" / "cache"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*.pickle"))}


def corpus(root: Path, modules: int = 60) -> Path:
    """The app plus `modules` ordinary modules, so a cold scan does real work."""
    files: dict[str, str | bytes] = {}
    for i in range(modules):
        files[f"app/lib/m{i:02}.py"] = (
            "\n\n".join(
                f"def f{j}(x):\n    return [y * {j} for y in range(x) if y % 3]" for j in range(40)
            )
            + "\n\nasync def entry(x):\n    return f1(x)\n"
        )
    files["app/lib/__init__.py"] = ""
    make_project(root)
    write(root, files)
    return root


def test_an_unchanged_rerun_is_served_from_the_cache_and_parses_nothing(tmp_path):
    corpus(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    parsed: list[tuple[str, int, int]] = []
    cold = scan(project, jobs=1, progress=lambda *step: parsed.append(step))
    assert not cold.from_cache and cold.report.stats.cache_hits == 0
    assert len(parsed) == cold.report.stats.files  # every file was parsed once
    parsed.clear()
    warm = scan(project, jobs=1, progress=lambda *step: parsed.append(step))
    assert warm.from_cache
    assert parsed == []  # no file was parsed again
    assert warm.report.stats.cache_hits == warm.report.stats.files == cold.report.stats.files
    assert warm.report.findings == cold.report.findings
    assert keys(warm.report) == APP_FINDINGS
    # the warm path does not even load the parts that parse and analyse (in a fresh
    # interpreter: this one has imported them already). Speed itself: `make bench`.
    probe = (
        "import sys\n"
        "from blocking_io.shared_rules import load_config\n"
        "from blocking_io.static_detector.scan import scan\n"
        "result = scan(load_config(), jobs=1)\n"
        "loaded = [m for m in ('blocking_io.static_detector.workers',\n"
        "          'blocking_io.static_detector.program', 'astroid') if m in sys.modules]\n"
        "print(result.from_cache, loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "True []"


def test_the_cli_reports_cache_hits_in_findings_json(tmp_path):
    make_project(tmp_path)
    assert detect(tmp_path).returncode == 1
    assert report_of(tmp_path).stats.cache_hits == 0
    assert detect(tmp_path).returncode == 1
    again = report_of(tmp_path)
    assert again.stats.cache_hits == again.stats.files == 3
    assert keys(again) == APP_FINDINGS


def test_editing_a_helper_in_another_module_is_never_served_stale(tmp_path):
    make_project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    helpers = tmp_path / "app" / "helpers.py"
    original = helpers.read_text("utf-8")
    first = scan(project, jobs=1).report
    assert ASYNC_CALLER not in keys(first)

    # `harmless` now sleeps; handlers.py (the async caller) is untouched
    helpers.write_text(
        original.replace("return value * 2", "time.sleep(value)\n    return value * 2"),
        encoding="utf-8",
    )
    edited = scan(project, jobs=1)
    assert not edited.from_cache
    assert edited.report.stats.cache_hits == 2  # handlers.py and __init__.py from the cache
    assert keys(edited.report) == APP_FINDINGS | {ASYNC_CALLER}

    helpers.write_text(original, encoding="utf-8")
    reverted = scan(project, jobs=1)
    assert reverted.from_cache  # the first run's result is still valid for this content
    assert keys(reverted.report) == APP_FINDINGS
    assert reverted.report.findings == first.findings


def test_a_config_change_is_not_served_from_the_cache(tmp_path):
    make_project(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    assert keys(scan(load_config(pyproject), jobs=1).report) == APP_FINDINGS
    pyproject.write_text(pyproject.read_text("utf-8") + 'ignore = ["BIO3"]\n', encoding="utf-8")
    again = scan(load_config(pyproject), jobs=1)
    assert not again.from_cache
    assert keys(again.report) == APP_FINDINGS - {("app/handlers.py", "app.handlers.slow", "BIO301")}


def test_corrupt_cache_entries_are_ignored_and_rebuilt(tmp_path):
    make_project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    first = scan(project, jobs=1).report
    entries = sorted((tmp_path / ".blocking-io" / "cache").rglob("*.pickle"))
    kinds = [p.parent.parent.name for p in entries]
    assert kinds.count("summary") == 3 and kinds.count("result") == 1
    for i, entry in enumerate(entries):  # truncated, garbage, empty, wrong type
        payload = entry.read_bytes()
        entry.write_bytes(
            [payload[: len(payload) // 2], b"\x80\x05garbage", b"", pickle.dumps({"a": 1})][i % 4]
        )
    rebuilt = scan(project, jobs=1)
    assert not rebuilt.from_cache
    assert without_stats(report_json(rebuilt.report)) == without_stats(report_json(first))
    # the entries were written again, whole: the next run is served from them
    for entry in (tmp_path / ".blocking-io" / "cache").rglob("*.pickle"):
        pickle.loads(entry.read_bytes())
    again = scan(project, jobs=1)
    assert again.from_cache and again.report.stats.cache_hits == 3


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path):
    make_project(tmp_path)
    assert detect(tmp_path, "--no-cache").returncode == 1
    assert not (tmp_path / ".blocking-io" / "cache").exists()  # nothing written

    project = load_config(tmp_path / "pyproject.toml")
    scan(project, jobs=1)
    (result,) = (tmp_path / ".blocking-io" / "cache").glob("v*/result/*/*.pickle")
    # plant a result entry that says "no findings": a scan that reads the cache returns it...
    payload, stamps = pickle.loads(result.read_bytes())  # (report JSON, dependency stamps)
    report = FindingsReport.model_validate_json(payload)
    report.findings = []
    result.write_bytes(pickle.dumps((report.model_dump_json().encode(), stamps)))
    assert scan(project, jobs=1).report.findings == []
    # ...and --no-cache does not read it, nor write anything
    planted_files = cache_files(tmp_path)
    done = detect(tmp_path, "--no-cache")
    assert done.returncode == 1
    assert keys(report_of(tmp_path)) == APP_FINDINGS
    assert report_of(tmp_path).stats.cache_hits == 0
    assert cache_files(tmp_path) == planted_files


def test_two_scans_at_the_same_time_both_succeed_and_leave_a_whole_report(tmp_path):
    corpus(tmp_path, modules=80)
    command = [
        sys.executable,
        "-m",
        "blocking_io.cli.app",
        "detect",
        "--jobs",
        "2",
        "--format",
        "json",
    ]
    runs = [
        subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 1, err
        assert err == "", err
    assert without_stats(outputs[0][0]) == without_stats(outputs[1][0])
    final = report_of(tmp_path)  # one whole, valid report (written atomically)
    assert without_stats((tmp_path / ".blocking-io" / "findings.json").read_text("utf-8")) == (
        without_stats(outputs[0][0])
    )
    temp = [p for p in (tmp_path / ".blocking-io").rglob(".*") if p.name != ".gitignore"]
    assert not temp  # no temp file left behind
    for entry in (tmp_path / ".blocking-io" / "cache").rglob("*.pickle"):
        pickle.loads(entry.read_bytes())  # no torn cache entries
    third = detect(tmp_path)
    assert third.returncode == 1
    assert report_of(tmp_path).findings == final.findings
    assert report_of(tmp_path).stats.cache_hits == final.stats.files


def test_the_cache_stays_bounded_over_many_edits(tmp_path):
    """Each edit leaves a summary no later scan uses: they are dropped once they could
    outnumber the live ones, however many edits come; results and facts keep a few."""
    make_project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    helpers = tmp_path / "app" / "helpers.py"
    original = helpers.read_text("utf-8")
    cache = tmp_path / ".blocking-io" / "cache"
    counts = []
    for edit in range(20):
        helpers.write_text(original + f"\n# edit {edit}\n", encoding="utf-8")
        assert keys(scan(project, jobs=1).report) == APP_FINDINGS
        counts.append(len(list(cache.rglob("summary/*/*.pickle"))))
    live = 3  # the project's modules
    assert max(counts) <= 4 * live, counts
    assert counts[-1] < max(counts)  # dropped at least once
    assert len(list(cache.rglob("result/*/*.pickle"))) <= 8
    assert len(list(cache.rglob("facts/*/*.pickle"))) <= 2


def test_summaries_pickled_by_the_cache_read_back_as_they_were():
    import types

    from blocking_io.static_detector import cache, ir
    from blocking_io.static_detector.summarize import summarize

    source = b"import os\n\nclass C:\n    def m(self, p=True):\n        with open(p) as fh:\n            return os.path.join(fh.read(), 1.0)\n"
    summary = summarize(source, "m", "m.py", False)
    again = pickle.loads(cache.dumps(summary))
    assert _same(again, summary)
    assert cache.reducers([ir])[ir.Name] is not None

    # a dataclass whose __init__ is not the generated one, or takes more than its fields,
    # is pickled as pickle does it
    module = types.ModuleType("made")

    @dataclass(slots=True)
    class Own:
        a: int

        def __init__(self, a: int) -> None:
            self.a = a * 2

    @dataclass(slots=True)
    class WithInitVar:
        a: int
        b: InitVar[int]

    @dataclass(slots=True)
    class Generated:
        a: int
        b: str = "x"

    for cls in (Own, WithInitVar, Generated):
        cls.__module__ = "made"
        setattr(module, cls.__name__, cls)
    assert set(cache.reducers([module])) == {Generated}


def _same(a: object, b: object) -> bool:
    """Equal value for value and type for type (`==` takes True for 1)."""
    import dataclasses

    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(map(_same, a, b))  # type: ignore[arg-type]
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)  # type: ignore[index]
    if dataclasses.is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return a == b
