"""`blocking-io detect` and `blocking-io baseline` as a user runs them: real projects on disk,
the command as a real process, every option checked by what it changes."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import shutil
import subprocess
import sys
import threading

import pytest
from detect_support import (
    APP,
    APP_FINDINGS,
    CONFIG,
    assert_clean_stderr,
    check_sarif,
    cli,
    detect,
    keys,
    make_project,
    parsed,
    report_of,
    without_stats,
    write,
)

HIGH = {k for k in APP_FINDINGS if k[2] == "BIO301"}


# -- paths and config defaults --------------------------------------------------------------


def test_no_paths_scans_the_configured_include_and_named_paths_replace_it(tmp_path):
    make_project(tmp_path)
    write(tmp_path, {"scripts/tool.py": "import time\n\nasync def main():\n    time.sleep(1)\n"})
    done = detect(tmp_path)
    assert done.returncode == 1, done.stderr
    assert keys(report_of(tmp_path)) == APP_FINDINGS  # scripts/ is not in `include`
    assert "scripts/tool.py" not in done.stdout

    # a script's findings are in the report, but below the default `--min-impact once`
    done = detect(tmp_path, "scripts")
    assert done.returncode == 0, done.stderr
    assert keys(report_of(tmp_path)) == {("scripts/tool.py", "scripts.tool.main", "BIO301")}
    assert "1 finding of lower impact than `once` not shown" in done.stderr
    done = detect(tmp_path, "scripts", "--min-impact", "script")
    assert done.returncode == 1, done.stderr
    assert "scripts/tool.py:4:5: BIO301" in done.stdout


def test_without_include_the_source_roots_are_scanned(tmp_path):
    files = {f"src/{rel}": text for rel, text in APP.items()}
    files["outside/job.py"] = "import time\n\nasync def run():\n    time.sleep(1)\n"
    make_project(tmp_path, files, config='source-roots = ["src"]')
    done = detect(tmp_path)
    assert done.returncode == 1, done.stderr
    report = report_of(tmp_path)
    assert keys(report) == {(f"src/{path}", func, rule) for path, func, rule in APP_FINDINGS}
    assert "outside/job.py" not in report.files


def test_the_nearest_pyproject_is_found_from_a_subdirectory(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path / "app")
    assert done.returncode == 1, done.stderr
    assert keys(report_of(tmp_path)) == APP_FINDINGS  # report in the project root's report dir


def test_a_missing_path_is_an_error_entry_and_the_rest_is_scanned(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "app", "no/such/dir")
    assert done.returncode == 2
    assert_clean_stderr(done)
    report = report_of(tmp_path)
    assert keys(report) == APP_FINDINGS
    assert [(e.path, e.kind) for e in report.errors] == [("no/such/dir", "not-found")]


# -- formats and --output -------------------------------------------------------------------


def test_text_format_lists_each_finding_with_its_chain_and_a_tally(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--format", "text")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert "app/handlers.py:11:5: BIO301 `time.sleep` sleeps synchronously" in done.stdout
    assert (
        "    high, transitive, request, P1: reached through `helpers.pause()` (1 call deep)"
        in lines
    )
    assert "    via app.helpers.pause (app/helpers.py:11)" in lines
    assert "    -> time.sleep (app/helpers.py:11)" in lines
    assert lines[-1] == "Found 3 findings (1 high, 1 medium, 1 low); 1 suppressed."
    assert "quiet" not in done.stdout  # suppressed findings are only counted
    assert "\x1b[" not in done.stdout  # no colour when not a terminal


def test_summary_format_tables_the_findings_and_names_the_report(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--format", "summary")
    assert done.returncode == 1
    assert "By rule" in done.stdout
    assert "BIO301" in done.stdout and "sync-sleep" in done.stdout
    assert "Report: .blocking-io/findings.json" in done.stdout
    assert "Found 3 findings" in done.stdout


def test_json_format_is_the_findings_contract(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--format", "json")
    assert done.returncode == 1
    report = parsed(done.stdout)
    assert keys(report) == APP_FINDINGS
    assert without_stats(done.stdout) == without_stats(
        (tmp_path / ".blocking-io" / "findings.json").read_text("utf-8")
    )


def test_sarif_format_is_valid_sarif_with_one_result_per_active_finding(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--format", "sarif")
    assert done.returncode == 1
    log = check_sarif(done.stdout)
    results = log["runs"][0]["results"]
    active = [r for r in results if not r.get("suppressions")]
    assert sorted(r["ruleId"] for r in active) == ["BIO102", "BIO106", "BIO301"]


def test_github_format_prints_workflow_annotations_by_severity(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--format", "github")
    assert done.returncode == 1
    assert "::error file=app/handlers.py,line=11," in done.stdout  # high
    assert "::warning file=app/handlers.py,line=7," in done.stdout  # medium
    assert "::notice file=app/handlers.py,line=15," in done.stdout  # low


def test_output_writes_the_file_creating_parent_directories_and_nothing_on_stdout(tmp_path):
    make_project(tmp_path)
    target = tmp_path / "out" / "reports" / "scan.sarif"
    done = detect(tmp_path, "--format", "sarif", "--output", "out/reports/scan.sarif")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    log = check_sarif(target.read_text("utf-8"))
    assert len(log["runs"][0]["results"]) >= 3
    assert [p.name for p in target.parent.iterdir()] == ["scan.sarif"]  # no temp files left


def test_output_text_file_is_plain_even_when_colour_is_forced(tmp_path):
    make_project(tmp_path)
    env = {**os.environ, "FORCE_COLOR": "1"}
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "detect", "-o", "out.txt"],
        cwd=tmp_path, capture_output=True, text=True, env=env, check=False, timeout=180,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    text = (tmp_path / "out.txt").read_text("utf-8")
    assert "BIO301" in text and "\x1b[" not in text


@contextlib.contextmanager
def read_only(directory):
    """A directory nobody can create files in. Root ignores permission bits, so as root the
    directory is made immutable (chattr +i) instead."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root without chattr: cannot make a read-only directory")
    made = subprocess.run([chattr, "+i", str(directory)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i not supported here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(directory)], check=True)


def test_output_into_a_read_only_directory_fails_in_one_line_and_keeps_the_old_file(tmp_path):
    make_project(tmp_path)
    target_dir = tmp_path / "ro"
    target_dir.mkdir()
    target = target_dir / "scan.json"
    target.write_text("previous report\n", encoding="utf-8")
    with read_only(target_dir):
        done = detect(tmp_path, "--format", "json", "--output", target)
        assert done.returncode == 2
        assert_clean_stderr(done)
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith("blocking-io: error:") and str(target) in line
        assert target.read_text("utf-8") == "previous report\n"
        assert sorted(p.name for p in target_dir.iterdir()) == ["scan.json"]


@contextlib.contextmanager
def full_filesystem(directory):
    """A real file system with no space left: a 64 KiB tmpfs mounted on `directory` and filled
    up. Mounting needs root (and a container that allows it); elsewhere the test skips."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() != 0 or mount is None or umount is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(directory)],
        capture_output=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run([umount, str(directory)], check=True)


def test_output_onto_a_full_disk_fails_in_one_line_and_keeps_the_old_file(tmp_path):
    make_project(tmp_path)
    target_dir = tmp_path / "full"
    target_dir.mkdir()
    with full_filesystem(target_dir):
        target = target_dir / "scan.json"
        target.write_text("previous report\n", encoding="utf-8")
        with contextlib.suppress(OSError), open(target_dir / "filler", "wb") as fh:
            while True:  # until ENOSPC: the rest of the file system
                fh.write(b"x" * 4096)
                fh.flush()
        done = detect(tmp_path, "--format", "json", "--output", target)
        assert done.returncode == 2
        assert_clean_stderr(done)
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith("blocking-io: error:") and str(target) in line
        assert "No space left on device" in line
        assert target.read_text("utf-8") == "previous report\n"
        assert sorted(p.name for p in target_dir.iterdir()) == ["filler", "scan.json"]


# -- rule selection and severity ------------------------------------------------------------


def test_select_keeps_only_the_named_rules_given_as_prefixes_and_comma_lists(tmp_path):
    make_project(tmp_path)
    assert detect(tmp_path, "--select", "BIO3,BIO106").returncode == 1
    assert {k[2] for k in keys(report_of(tmp_path))} == {"BIO301", "BIO106"}


def test_ignore_drops_the_named_rules(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--ignore", "BIO301", "--ignore", "BIO106")
    assert done.returncode == 1
    assert {k[2] for k in keys(report_of(tmp_path))} == {"BIO102"}


def test_extend_select_adds_an_opt_in_rule_to_the_defaults(tmp_path):
    make_project(tmp_path)
    assert "BIO107" not in {k[2] for k in APP_FINDINGS}  # opt-in: not reported by default
    assert detect(tmp_path, "--extend-select", "BIO107").returncode == 1
    assert keys(report_of(tmp_path)) == APP_FINDINGS | {
        ("app/handlers.py", "app.handlers.where", "BIO107")
    }


def test_selection_from_the_config_is_applied_and_select_replaces_it(tmp_path):
    make_project(tmp_path, config=CONFIG + 'ignore = ["BIO1"]\n')
    detect(tmp_path)
    assert keys(report_of(tmp_path)) == HIGH
    detect(tmp_path, "--select", "BIO102,BIO3")
    assert keys(report_of(tmp_path)) == HIGH  # the configured ignore still applies


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_an_unknown_rule_id_is_exit_2_naming_the_option_and_the_id(tmp_path, option):
    make_project(tmp_path)
    done = detect(tmp_path, option, "BIO301,NOPE9")
    assert done.returncode == 2
    assert_clean_stderr(done)
    (line,) = done.stderr.strip().splitlines()
    assert option in line and "'NOPE9'" in line and "unknown rule id" in line
    assert not (tmp_path / ".blocking-io").exists()  # nothing scanned, nothing written


def test_min_severity_reports_and_counts_only_findings_at_or_above_it(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--min-severity", "medium", "--format", "json")
    assert done.returncode == 1
    assert {k[2] for k in keys(parsed(done.stdout))} == {"BIO102", "BIO301"}
    assert keys(report_of(tmp_path)) == APP_FINDINGS  # findings.json keeps everything

    done = detect(tmp_path, "--min-severity", "high", "--ignore", "BIO301")
    assert done.returncode == 0, done.stdout  # medium and low findings exist, none is high
    assert done.stdout.strip().splitlines()[-1].startswith("No findings")


# -- exit codes -----------------------------------------------------------------------------


def test_a_clean_project_exits_0(tmp_path):
    make_project(tmp_path, {"app/__init__.py": "", "app/ok.py": "async def f():\n    return 1\n"})
    done = detect(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "No findings."
    assert done.stderr == ""


def test_suppressed_findings_do_not_fail_the_run(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/jobs.py": """
            import time


            async def warm_up():
                time.sleep(1)  # blocking-io: ignore[BIO301] runs before the loop serves anything
        """,
    }
    make_project(tmp_path, files)
    done = detect(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "1 suppressed" in done.stdout
    (finding,) = report_of(tmp_path).findings
    assert finding.suppressed is not None


def test_exit_zero_turns_findings_into_success_but_not_errors(tmp_path):
    make_project(tmp_path)
    assert detect(tmp_path, "--exit-zero").returncode == 0
    write(tmp_path, {"app/broken.py": "def oops(:\n"})
    done = detect(tmp_path, "--exit-zero")
    assert done.returncode == 2


def test_files_that_cannot_be_analysed_exit_2_and_say_so(tmp_path):
    make_project(tmp_path)
    write(tmp_path, {"app/broken.py": "def oops(:\n    pass\n"})
    for fmt in ("text", "sarif"):
        done = detect(tmp_path, "--format", fmt)
        assert done.returncode == 2
        assert_clean_stderr(done)
        (line,) = done.stderr.strip().splitlines()
        assert "1 file could not be analysed (app/broken.py)" in line and "exit code 2" in line
        if fmt == "text":
            assert (
                "app/broken.py:1: error: syntax-error: invalid syntax" in done.stdout.splitlines()
            )
    report = report_of(tmp_path)
    assert keys(report) == APP_FINDINGS  # the rest was analysed
    assert [(e.path, e.kind, e.line) for e in report.errors] == [
        ("app/broken.py", "syntax-error", 1)
    ]


# -- report, config, jobs -------------------------------------------------------------------


def test_report_is_written_by_default_and_not_with_no_report(tmp_path):
    make_project(tmp_path, config=CONFIG + 'report-dir = "build/bio"\n')
    findings = tmp_path / "build" / "bio" / "findings.json"
    assert detect(tmp_path, "--no-report").returncode == 1
    assert not findings.exists()
    assert detect(tmp_path, "--report").returncode == 1
    assert keys(report_of(tmp_path, "build/bio")) == APP_FINDINGS
    before = findings.read_bytes()
    (tmp_path / "app" / "handlers.py").write_text("async def f():\n    return 1\n", "utf-8")
    assert detect(tmp_path, "--no-report").returncode == 0
    assert findings.read_bytes() == before  # an earlier report is left as it was


def test_an_explicit_config_file_is_used_instead_of_the_nearest_one(tmp_path):
    make_project(tmp_path)
    strict = tmp_path / "strict.toml"
    strict.write_text(
        f"[tool.blocking-io]\n{CONFIG}\nselect = ['BIO301']\nreport-dir = 'out'\n", encoding="utf-8"
    )
    done = detect(tmp_path / "app", "--config", strict)
    assert done.returncode == 1, done.stderr
    assert keys(report_of(tmp_path, "out")) == HIGH
    assert not (tmp_path / ".blocking-io").exists()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('exclude = "tests"', "[tool.blocking-io].exclude: expected a list"),
        ('sourceroots = ["src"]', "[tool.blocking-io].sourceroots: unknown key"),
        ("include = [", "invalid TOML"),
        (None, "config file not found"),
    ],
)
def test_a_broken_or_missing_config_is_exit_2_naming_the_file_and_the_key(tmp_path, body, named):
    make_project(tmp_path)
    bad = tmp_path / "bad.toml"
    if body is not None:
        bad.write_text(f"[tool.blocking-io]\n{body}\n", encoding="utf-8")
    done = detect(tmp_path, "--config", bad)
    assert done.returncode == 2
    assert_clean_stderr(done)
    (line,) = done.stderr.strip().splitlines()
    assert str(bad) in line and named in line


def many_modules(root, count=30):
    """`count` modules (enough for the process pool), each with one async finding through a
    helper in the next module."""
    files = {"svc/__init__.py": ""}
    for i in range(count):
        files[f"svc/m{i:02}.py"] = f"""
            import time

            from svc.m{(i + 1) % count:02} import helper{(i + 1) % count}


            def helper{i}():
                time.sleep(0.{i})


            async def handler{i}():
                return helper{(i + 1) % count}()
        """
    make_project(root, files, config='source-roots = ["."]\ninclude = ["svc"]\n')
    return {(f"svc/m{i:02}.py", f"svc.m{i:02}.handler{i}", "BIO301") for i in range(count)}


WORKER_PIDS = """
import os, sys
import blocking_io.static_detector.workers as workers

out = sys.argv[1]
with open(os.path.join(out, "main"), "w") as fh:
    fh.write(str(os.getpid()))
original = workers._summarize_job


def recording(job):
    with open(os.path.join(out, f"pid-{os.getpid()}"), "a") as fh:
        fh.write(job.rel + "\\n")
    return original(job)


workers._summarize_job = recording
sys.argv = ["blocking-io", *sys.argv[2:]]
from blocking_io.cli.app import main
main()
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_jobs_sets_the_number_of_worker_processes(tmp_path, jobs):
    project = tmp_path / "project"
    expected = many_modules(project)
    pids = tmp_path / "pids"
    pids.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", WORKER_PIDS, pids, "detect", "--no-cache", "--jobs", str(jobs)],
        cwd=project, capture_output=True, text=True, check=False, timeout=180,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert keys(report_of(project)) == expected
    main = f"pid-{(pids / 'main').read_text()}"
    summarizers = {p.name for p in pids.glob("pid-*")}
    summarized = sorted(line for p in pids.glob("pid-*") for line in p.read_text().splitlines())
    assert len(summarized) == len(expected) + 1  # every module summarized exactly once
    if jobs == 1:
        assert summarizers == {main}  # in the command's own process
    else:  # this process and at most one worker (not two beside a waiting scan)
        assert len(summarizers - {main}) <= 1


def test_jobs_below_one_is_a_usage_error(tmp_path):
    make_project(tmp_path)
    done = detect(tmp_path, "--jobs", "0")
    assert done.returncode == 2
    assert "--jobs" in done.stderr


# -- determinism ----------------------------------------------------------------------------


def test_findings_json_is_identical_for_any_jobs_and_with_or_without_cache(tmp_path):
    many_modules(tmp_path)
    write(tmp_path, {"svc/broken.py": "def oops(:\n"})
    report = tmp_path / ".blocking-io" / "findings.json"
    outputs = []
    for args in (
        ["--jobs", "1", "--no-cache"],
        ["--jobs", "2"],  # computed in worker processes, and cached
        ["--jobs", "1"],  # served from the cache
    ):
        done = detect(tmp_path, *args)
        assert done.returncode == 2, done.stderr
        outputs.append(report.read_text("utf-8"))
    assert json.loads(outputs[2])["stats"]["cache_hits"] > 0  # the last run used the cache
    stripped = {without_stats(text) for text in outputs}
    assert len(stripped) == 1
    # and apart from `stats`, the file is the same bytes
    tails = {text.split('"stats"')[0] for text in outputs}
    assert len(tails) == 1


# -- baseline -------------------------------------------------------------------------------


def test_baseline_then_a_new_finding_only_the_new_one_is_reported(tmp_path):
    make_project(tmp_path)
    done = cli("baseline", "bio-baseline.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote bio-baseline.json (3 findings)" in done.stderr
    assert detect(tmp_path, "--baseline", "bio-baseline.json").returncode == 0

    handlers = tmp_path / "app" / "handlers.py"
    handlers.write_text(
        handlers.read_text("utf-8") + "\n\nasync def upload(path):\n    return load(path)\n",
        encoding="utf-8",
    )
    done = detect(tmp_path, "--baseline", "bio-baseline.json", "--format", "json")
    assert done.returncode == 1
    assert keys(parsed(done.stdout)) == {("app/handlers.py", "app.handlers.upload", "BIO102")}


def test_moving_code_around_creates_no_new_findings_against_the_baseline(tmp_path):
    make_project(tmp_path)
    assert cli("baseline", "base.json", cwd=tmp_path).returncode == 0
    # unrelated code above everything, functions reordered, helpers moved down
    helpers = tmp_path / "app" / "helpers.py"
    helpers.write_text(
        '"""Helpers."""\n\nLIMIT = 10\n\n\ndef unrelated():\n    return LIMIT\n\n\n'
        + helpers.read_text("utf-8"),
        encoding="utf-8",
    )
    handlers = tmp_path / "app" / "handlers.py"
    head, _, rest = handlers.read_text("utf-8").partition("async def read_config")
    blocks = ("async def read_config" + rest).split("\n\n\n")
    handlers.write_text(head + "\n\n\n".join(reversed(blocks)) + "\n", encoding="utf-8")

    assert detect(tmp_path).returncode == 1
    moved = report_of(tmp_path)
    assert keys(moved) == APP_FINDINGS  # the same findings, on other lines
    done = detect(tmp_path, "--baseline", "base.json")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("No findings")


def test_an_earlier_findings_json_works_as_a_baseline(tmp_path):
    make_project(tmp_path)
    detect(tmp_path)
    shutil.copy(tmp_path / ".blocking-io" / "findings.json", tmp_path / "last.json")
    assert detect(tmp_path, "--baseline", "last.json").returncode == 0


def test_a_corrupt_or_missing_baseline_is_exit_2_naming_it(tmp_path):
    make_project(tmp_path)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    for name in ("bad.json", "missing.json"):
        done = detect(tmp_path, "--baseline", name)
        assert done.returncode == 2
        assert_clean_stderr(done)
        (line,) = done.stderr.strip().splitlines()
        assert name in line


def test_baseline_with_unanalysable_files_still_writes_but_exits_2(tmp_path):
    make_project(tmp_path)
    write(tmp_path, {"app/broken.py": b"x = '\xff'\n"})
    done = cli("baseline", "base.json", cwd=tmp_path)
    assert done.returncode == 2
    assert "app/broken.py:1: error: undecodable" in done.stderr
    assert "could not be analysed" in done.stderr
    assert json.loads((tmp_path / "base.json").read_text("utf-8"))["findings"]


# -- help -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("detect", "blocking-io detect --format sarif -o blocking-io.sarif"),
        ("baseline", "blocking-io baseline .blocking-io-baseline.json"),
    ],
)
def test_help_shows_examples_and_the_config_table(tmp_path, command, example):
    done = cli(command, "--help", cwd=tmp_path)
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert example in text
    assert "[tool.blocking-io]" in text  # not eaten as rich markup
    if command == "detect":
        assert "Exit codes: 0 no findings" in text and "2 usage/config/input error" in text


# -- progress -------------------------------------------------------------------------------


def test_progress_bar_goes_to_a_terminal_on_stderr_never_into_the_report(tmp_path):
    files = {"app/__init__.py": ""}
    for i in range(250):
        files[f"app/m{i:03}.py"] = f"import time\n\n\nasync def h{i}():\n    time.sleep(1)\n"
    make_project(tmp_path, files)
    master, slave = pty.openpty()
    # the bar shows once a step has run 2 s; here at once, whatever this machine's speed
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "BLOCKING_IO_PROGRESS_DELAY": "0"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(
        [sys.executable, "-m", "blocking_io", "detect", "--format", "json", "--no-cache"],
        cwd=tmp_path, stdin=slave, stdout=subprocess.PIPE, stderr=slave, env=env,
    ) as proc:  # fmt: skip
        os.close(slave)
        terminal = bytearray()
        reader = threading.Thread(target=_drain, args=(master, terminal), daemon=True)
        reader.start()
        out = proc.stdout.read()
        assert proc.wait(timeout=180) == 1
        reader.join(timeout=10)
    os.close(master)
    assert b"blocking-io" in terminal and b"scanning" in terminal  # the bar, on the terminal
    assert len(parsed(out.decode()).findings) == 250  # stdout: the report, nothing else
    assert b"\x1b[" not in out


def _drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closed
            return
        if not chunk:
            return
        into.extend(chunk)
