"""An unchanged re-run of `blocking-io detect` is answered from its replay record (without
importing the toolkit): the same output, exit code and findings.json as a scan would give,
and any change to an input (an edit, a touch, a deleted or added file, the configuration)
sends the run through the normal scan again. Speed itself: `make bench`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from detect_support import (
    APP_FINDINGS,
    detect,
    keys,
    make_project,
    parsed,
    report_of,
    without_stats,
)

ARGS = ("--format", "json")


def scan_cache(root: Path) -> Path:
    (versioned,) = (root / ".blocking-io" / "cache").glob("v*")
    return versioned


def forget_scan_cache(root: Path) -> Path:
    """Remove the scan's own cache (summaries, results), keeping the replay record: a run
    that scans writes it again; a replayed run does not touch it."""
    versioned = scan_cache(root)
    shutil.rmtree(versioned)
    return versioned


def fresh(root: Path, *args: str) -> str:
    """What a scan without any cache prints."""
    done = detect(root, *args, "--no-cache", "--no-report")
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_an_unchanged_rerun_is_replayed_with_the_same_output_and_report(tmp_path):
    make_project(tmp_path)
    first = detect(tmp_path, *ARGS)
    assert first.returncode == 1, first.stderr
    assert keys(report_of(tmp_path)) == APP_FINDINGS
    versioned = forget_scan_cache(tmp_path)
    (tmp_path / ".blocking-io" / "findings.json").unlink()
    again = detect(tmp_path, *ARGS)
    assert not versioned.exists()  # answered from the record: no scan ran
    assert (again.returncode, again.stderr) == (first.returncode, first.stderr)
    assert without_stats(again.stdout) == without_stats(first.stdout)
    report = report_of(tmp_path)  # rewritten, as a cached scan writes it
    assert keys(report) == APP_FINDINGS
    assert report.stats.cache_hits == report.stats.files == 3
    assert without_stats(again.stdout) == without_stats(fresh(tmp_path, *ARGS))


@pytest.mark.parametrize("fmt", ["concise", "full", "sarif", "github"])
def test_text_formats_are_replayed_byte_for_byte(tmp_path, fmt):
    make_project(tmp_path)
    first = detect(tmp_path, "--format", fmt)
    versioned = forget_scan_cache(tmp_path)
    again = detect(tmp_path, "--format", fmt)
    assert not versioned.exists()
    assert (again.returncode, again.stdout, again.stderr) == (
        first.returncode,
        first.stdout,
        first.stderr,
    )
    # and a different command line is a different question
    other = detect(tmp_path, "--format", "json" if fmt != "json" else "concise")
    assert other.stdout != first.stdout


def test_the_output_file_is_rewritten_on_replay(tmp_path):
    make_project(tmp_path)
    out = tmp_path / "out.json"
    first = detect(tmp_path, *ARGS, "-o", out)
    written = out.read_text("utf-8")
    out.unlink()
    versioned = forget_scan_cache(tmp_path)
    again = detect(tmp_path, *ARGS, "-o", out)
    assert not versioned.exists()
    assert again.returncode == first.returncode
    assert again.stdout == first.stdout == ""
    assert without_stats(out.read_text("utf-8")) == without_stats(written)


def _edit(root: Path) -> None:
    path = root / "app" / "helpers.py"
    path.write_text(path.read_text("utf-8").replace("time.sleep", "print"), "utf-8")


def _touch(root: Path) -> None:
    path = root / "app" / "helpers.py"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _delete(root: Path) -> None:
    (root / "app" / "helpers.py").unlink()


def _add(root: Path) -> None:
    (root / "app" / "more.py").write_text("import time\n\nasync def nap():\n    time.sleep(1)\n")


def _configure(root: Path) -> None:
    path = root / "pyproject.toml"
    path.write_text(path.read_text("utf-8") + 'ignore = ["BIO106"]\n', "utf-8")


@pytest.mark.parametrize("change", [_edit, _touch, _delete, _add, _configure])
def test_any_changed_input_sends_the_run_through_a_scan(tmp_path, change):
    make_project(tmp_path)
    assert detect(tmp_path, *ARGS).returncode == 1
    versioned = forget_scan_cache(tmp_path)
    change(tmp_path)
    again = detect(tmp_path, *ARGS)
    assert versioned.exists()  # the normal command ran (and filled the cache again)
    assert without_stats(again.stdout) == without_stats(fresh(tmp_path, *ARGS))
    if change is _touch:  # same content: same findings, served by the scan's own cache
        assert keys(report_of(tmp_path)) == APP_FINDINGS
    else:
        assert keys(report_of(tmp_path)) != APP_FINDINGS
    # the scan left a new record: the next run is replayed again
    forget_scan_cache(tmp_path)
    third = detect(tmp_path, *ARGS)
    assert not versioned.exists()
    assert without_stats(third.stdout) == without_stats(again.stdout)


def test_files_that_cannot_be_analysed_replay_the_error_and_exit_code(tmp_path):
    make_project(tmp_path)
    (tmp_path / "app" / "broken.py").write_text("def broken(:\n")
    first = detect(tmp_path, *ARGS)
    assert first.returncode == 2
    assert "could not be analysed (app/broken.py)" in first.stderr
    versioned = forget_scan_cache(tmp_path)
    again = detect(tmp_path, *ARGS)
    assert not versioned.exists()
    assert (again.returncode, again.stderr) == (2, first.stderr)
    assert without_stats(again.stdout) == without_stats(first.stdout)


def test_no_cache_and_the_summary_format_are_never_replayed(tmp_path):
    make_project(tmp_path)
    detect(tmp_path, "--format", "summary")
    assert not (tmp_path / ".blocking-io" / "cache" / "replay").exists()
    detect(tmp_path, *ARGS)
    versioned = forget_scan_cache(tmp_path)
    detect(tmp_path, *ARGS, "--no-cache")
    assert not versioned.exists()  # --no-cache scans and writes nothing, replays nothing
    summary = detect(tmp_path, "--format", "summary")
    assert versioned.exists()
    assert "scanned 3 files" in summary.stdout


def test_an_explicit_config_is_replayed_and_its_edit_is_seen(tmp_path):
    project = tmp_path / "project"
    make_project(project)
    args = (*ARGS, "--config", str(project / "pyproject.toml"))
    first = detect(project, *args)
    assert first.returncode == 1
    versioned = forget_scan_cache(project)
    again = detect(project, *args)
    assert not versioned.exists()
    assert without_stats(again.stdout) == without_stats(first.stdout)
    _configure(project)
    third = detect(project, *args)
    assert versioned.exists()
    assert keys(report_of(project)) == APP_FINDINGS - {
        ("app/handlers.py", "app.handlers.check", "BIO106")
    }
    assert without_stats(third.stdout) != without_stats(first.stdout)


SCRIPT = "import asyncio\nimport time\n\n\nasync def main():\n    time.sleep(1)\n\n\nasyncio.run(main())\n"
SCRIPT_FINDING = ("app/job.py", "app.job.main", "BIO301")


def _shown(stdout: str) -> set[tuple[str, str, str]]:
    return keys(parsed(stdout))


def test_min_impact_on_the_command_line_and_in_the_config_is_a_different_answer(tmp_path):
    make_project(tmp_path)
    (tmp_path / "app" / "job.py").write_text(SCRIPT, "utf-8")
    default = detect(tmp_path, *ARGS)
    assert SCRIPT_FINDING not in _shown(default.stdout)
    assert "of lower impact than `once` not shown" in default.stderr
    versioned = forget_scan_cache(tmp_path)
    everything = detect(tmp_path, *ARGS, "--min-impact", "script")
    assert versioned.exists()  # another question: scanned, not the default's answer replayed
    assert SCRIPT_FINDING in _shown(everything.stdout)
    assert "lower impact" not in everything.stderr
    assert without_stats(everything.stdout) == without_stats(
        fresh(tmp_path, *ARGS, "--min-impact", "script")
    )
    forget_scan_cache(tmp_path)
    again = detect(tmp_path, *ARGS)  # each question keeps its own record
    assert not versioned.exists()
    assert (again.stderr, without_stats(again.stdout)) == (
        default.stderr,
        without_stats(default.stdout),
    )
    path = tmp_path / "pyproject.toml"
    path.write_text(path.read_text("utf-8") + 'min-impact = "script"\n', "utf-8")
    configured = detect(tmp_path, *ARGS)
    assert versioned.exists()
    assert SCRIPT_FINDING in _shown(configured.stdout)
    assert "lower impact" not in configured.stderr


@pytest.mark.parametrize(
    "options",
    [
        ("--select", "BIO3"),
        ("--ignore", "BIO106"),
        ("--extend-select", "BIO"),
        ("--min-severity", "high"),
        ("--exit-zero",),
        ("app/handlers.py",),
    ],
)
def test_other_options_are_other_questions(tmp_path, options):
    make_project(tmp_path)
    first = detect(tmp_path, *ARGS)
    versioned = forget_scan_cache(tmp_path)
    other = detect(tmp_path, *ARGS, *options)
    assert versioned.exists()  # scanned: no record answers this command line
    expected = detect(tmp_path, *ARGS, *options, "--no-cache", "--no-report")
    assert other.returncode == expected.returncode
    assert without_stats(other.stdout) == without_stats(expected.stdout)
    if options != ("--extend-select", "BIO"):
        assert (other.returncode, without_stats(other.stdout)) != (
            first.returncode,
            without_stats(first.stdout),
        )


def test_an_edited_baseline_is_seen(tmp_path):
    make_project(tmp_path)
    detect(tmp_path, *ARGS)
    baseline = tmp_path / "baseline.json"
    shutil.copy(tmp_path / ".blocking-io" / "findings.json", baseline)
    args = (*ARGS, "--baseline", str(baseline))
    quiet = detect(tmp_path, *args)
    assert quiet.returncode == 0 and _shown(quiet.stdout) == set()
    versioned = forget_scan_cache(tmp_path)
    assert detect(tmp_path, *args).returncode == 0
    assert not versioned.exists()  # replayed
    report = json.loads(baseline.read_text("utf-8"))
    report["findings"] = [f for f in report["findings"] if f["rule"] != "BIO301"]
    baseline.write_text(json.dumps(report, indent=2), "utf-8")
    loud = detect(tmp_path, *args)
    assert versioned.exists()
    assert loud.returncode == 1
    assert {rule for _, _, rule in _shown(loud.stdout)} == {"BIO301"}


def test_sarif_sees_a_new_git_work_tree(tmp_path):
    project = tmp_path / "services" / "api"
    make_project(project)
    first = detect(project, "--format", "sarif")
    versioned = forget_scan_cache(project)
    (tmp_path / ".git").mkdir()  # the category names the project's place in the repository
    again = detect(project, "--format", "sarif")
    assert versioned.exists()
    assert again.stdout != first.stdout
    assert "services/api" in again.stdout
    assert again.stdout == detect(project, "--format", "sarif", "--no-cache").stdout


@pytest.fixture
def touched_rules():
    """The toolkit's rule data touched (same content, a new mtime), as an upgrade or an edit
    of the toolkit leaves it; its mtime is put back afterwards."""
    import blocking_io.shared_rules as rules

    path = Path(rules.__file__).parent / "data" / "rules.toml"
    st = path.stat()

    def touch() -> None:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))

    yield touch
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_changed_toolkit_is_seen(tmp_path, touched_rules):
    make_project(tmp_path)
    first = detect(tmp_path, *ARGS)
    versioned = forget_scan_cache(tmp_path)
    touched_rules()
    again = detect(tmp_path, *ARGS)
    assert versioned.exists()  # scanned again
    assert without_stats(again.stdout) == without_stats(first.stdout)


def test_the_version_is_part_of_the_question(monkeypatch):
    import blocking_io
    from blocking_io.cli import replay

    before = replay._name(replay._question(["detect", "--format", "json"]))
    monkeypatch.setattr(blocking_io, "__version__", "999.0")
    after = replay._name(replay._question(["detect", "--format", "json"]))
    assert before != after


def test_a_replay_imports_neither_the_toolkit_nor_heavy_standard_modules(tmp_path):
    """The point of replaying: a re-run costs an interpreter start and a few stats, not the
    imports of the CLI, the configuration's parser or hashing (the imports Python reports
    with PYTHONPROFILEIMPORTTIME; part of the question, so both runs set it)."""
    import time

    from blocking_io.cli.replay import RACY_NS

    make_project(tmp_path)
    time.sleep(RACY_NS / 1e9 + 0.2)  # files this fresh have their content hashed (racy)
    env = {"PYTHONPROFILEIMPORTTIME": "1"}
    first = detect(tmp_path, *ARGS, env=env)
    again = detect(tmp_path, *ARGS, env=env)
    assert without_stats(again.stdout) == without_stats(first.stdout)

    def imported(done) -> set[str]:
        lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
        return {line.rpartition("|")[2].strip() for line in lines}

    assert {"typer", "pydantic", "tomllib"} <= imported(first)
    assert not {"typer", "pydantic", "rich", "tomllib", "hashlib", "typing"} & imported(again)
