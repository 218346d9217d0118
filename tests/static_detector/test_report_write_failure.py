"""Issue 22, items 6 and 7a, as a user of `blocking-io detect` sees them:

- a report that cannot be written (a full disk, a read-only folder) does not hide the
  findings: they are printed first, then the report's one-line error, exit 2;
- a scan that finds nothing to scan (an `include` glob that matches nothing, an empty
  folder) says so, naming the pattern or folder, and exits 2 instead of "scanned 0 files".
"""

from __future__ import annotations

import contextlib

import pytest
from detect_support import CONFIG, assert_clean_stderr, detect, make_project, write
from test_cli_detect import full_filesystem, read_only


@pytest.mark.parametrize("fault", ["full disk", "read-only folder"])
def test_findings_are_shown_before_the_report_write_fails(tmp_path, fault):
    make_project(tmp_path, config=CONFIG + '\nreport-dir = "reports"\n')
    reports = tmp_path / "reports"
    reports.mkdir()
    if fault == "read-only folder":
        (reports / "findings.json").write_text("previous report\n", encoding="utf-8")
    blocked = full_filesystem(reports) if fault == "full disk" else read_only(reports)
    with blocked:
        if fault == "full disk":  # the previous report on the tmpfs, then no space left
            (reports / "findings.json").write_text("previous report\n", encoding="utf-8")
            with contextlib.suppress(OSError), open(reports / "filler", "wb") as fh:
                while True:  # until ENOSPC: the rest of the file system
                    fh.write(b"x" * 4096)
                    fh.flush()
        done = detect(tmp_path, "--format", "text")
        kept = (reports / "findings.json").read_text("utf-8")
    assert done.returncode == 2, done.stdout + done.stderr
    assert_clean_stderr(done)
    # every finding and the tally, as on a good day
    assert "app/handlers.py:" in done.stdout and "BIO301" in done.stdout
    assert "Found 3 findings" in done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("blocking-io: error: ")
    assert "reports/findings.json" in line and "cannot write report" in line
    if fault == "full disk":
        assert "No space left on device" in line
    assert kept == "previous report\n"  # the old report is whole


def one_error_line(done) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert_clean_stderr(done)
    assert done.stdout == ""  # no "scanned 0 files"
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("blocking-io: error: ")
    return line


def test_an_include_glob_that_matches_nothing_is_named(tmp_path):
    make_project(tmp_path, config='include = ["app/**/*.py", "lib/**/*.py"]\n')
    (tmp_path / "app").rename(tmp_path / "application")  # the layout moved on, the config not
    line = one_error_line(detect(tmp_path))
    assert "pyproject.toml: [tool.blocking-io].include:" in line
    assert "'app/**/*.py', 'lib/**/*.py' match no file" in line
    assert not (tmp_path / ".blocking-io" / "findings.json").exists()


def test_an_empty_folder_is_named(tmp_path):
    make_project(tmp_path, files={}, config='source-roots = ["src"]\n')
    (tmp_path / "src").mkdir()
    line = one_error_line(detect(tmp_path))
    assert "no Python file under src/" in line

    write(tmp_path, {"empty/README.md": "nothing to see\n"})
    line = one_error_line(detect(tmp_path, "empty"))
    assert "no Python file to scan in empty" in line


def test_a_folder_with_python_files_still_scans(tmp_path):
    make_project(tmp_path, config='include = ["app/**/*.py", "lib/**/*.py"]\n')
    done = detect(tmp_path)
    assert done.returncode == 1, done.stderr  # lib/ matches nothing, app/ does: a scan
