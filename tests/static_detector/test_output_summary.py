"""`--format summary` (what `make detect-blocking-io` prints): the groupings and numbers."""

from __future__ import annotations

import re

import pytest
from test_output_render import (
    API,
    REGISTRY,
    SLEEP,
    empty_report,
    make_finding,
    sample_report,
)

from blocking_io.cli.console.findings import OutputFormat, render
from blocking_io.cli.console.findings_summary import module_of

ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def summary(report=None, *, width=160, color=False, report_path=".blocking-io/findings.json"):
    return render(
        report or sample_report(),
        OutputFormat.summary,
        REGISTRY,
        color=color,
        width=width,
        report_path=report_path,
    )


def table(output: str, title: str) -> list[list[str]]:
    """Rows of the table under `title` (cells split on runs of 2+ spaces), header excluded."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 3 :]:  # title, header, rule
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_by_rule_counts_each_rule_with_its_name_and_worst_severity_biggest_first():
    assert table(summary(), "By rule") == [
        ["BIO103", "path-write", "2", "medium"],
        ["BIO201", "sync-subprocess", "1", "high"],
        ["BIO301", "sync-sleep", "1", "high"],
        ["BIO406", "requests-call", "1", "high"],
        ["BIO106", "file-metadata", "1", "low"],
    ]


def test_by_severity_and_by_exposure_show_every_bucket_side_by_side():
    rows = table(summary(), "By severity")
    assert rows == [
        ["high", "3", "direct", "2"],
        ["medium", "2", "transitive", "3"],
        ["low", "1", "loop-callback", "1"],
    ]


def test_by_module_groups_by_the_directory_below_the_shared_root():
    assert table(summary(), "By module") == [
        ["packages/relay/gateway/", "2", "1", "high"],
        ["packages/relay/storage/", "2", "1", "medium"],
        ["packages/relay/workers/", "1", "1", "high"],
        ["packages/relay/données utilisateur/", "1", "1", "low"],
    ]


def test_top_files_are_ranked_by_count_then_severity():
    assert table(summary(), "Top files") == [
        ["packages/relay/gateway/api.py", "2", "high"],
        ["packages/relay/storage/files.py", "2", "medium"],
        ["packages/relay/workers/hooks.py", "1", "high"],
        ["packages/relay/données utilisateur/export.py", "1", "low"],
    ]


def test_top_files_stops_at_ten_and_says_how_many_there_are():
    findings = [
        make_finding("time.sleep", f"pkg/mod_{i:02}.py", 3, 4, f"pkg.mod_{i:02}.f", [("e", API, 1)])
        for i in range(12)
    ]
    output = summary(sample_report(findings, errors=[], unused=[]))
    rows = table(output, "Top 10 of 12 files")
    assert len(rows) == 10
    assert rows[0] == ["pkg/mod_00.py", "1", "high"]


def test_suppressed_findings_are_left_out_of_the_tables_and_counted_in_the_tally():
    output = summary()
    assert "BIO102" not in output and "config.py" not in output
    assert (
        "Found 6 findings (3 high, 2 medium, 1 low); 1 suppressed; 1 unused suppression; "
        "2 files with errors." in output.splitlines()
    )


def test_it_ends_with_the_errors_and_the_report_path():
    lines = summary().splitlines()
    assert lines[-4:] == [
        "Errors (2): these files were not fully analysed",
        "  packages/relay/assets/notes_latin1.py: decode-error: not UTF-8 (byte 0xe9 at offset 120)",
        "  packages/relay/legacy/py2_shim.py:3: syntax-error: invalid syntax: print 'ready'",
        "Report: .blocking-io/findings.json",
    ]


def test_it_starts_with_what_was_scanned():
    assert summary().splitlines()[0] == "blocking-io 0.1.0: scanned 23 files (1,874 lines) in 0.42s"


def test_a_clean_run_has_no_tables():
    lines = summary(empty_report()).splitlines()
    assert lines[1:] == ["No findings.", "Report: .blocking-io/findings.json"]


@pytest.mark.parametrize("width", [80, 160])
def test_tables_fit_the_terminal_without_wrapping_rows(width):
    output = summary(width=width)
    table_lines = output.splitlines()[1:-5]  # the free-text lines may run long
    assert all(len(line) <= width for line in table_lines)
    # no row was wrapped onto a second line
    assert len(table(output, "By rule")) == 5
    assert len(table(output, "Top files")) == 4


def test_long_paths_are_cut_with_an_ellipsis_never_folded_in_an_80_column_table():
    deep = "packages/relay/" + "/".join(f"level_{i}" for i in range(8)) + "/handlers.py"
    report = sample_report([SLEEP.model_copy(update={"path": deep})], errors=[], unused=[])
    output = summary(report, width=80)
    assert all(len(line) <= 80 for line in output.splitlines()[1:-2])
    for title in ("Top files", "By module"):
        (first, *rest) = [row[0] for row in table(output, title)]
        assert first.endswith("…") and deep.startswith(first[:-1])  # cut, on one line
        assert not [cell for cell in rest if cell]  # no continuation line


def test_color_only_styles_and_plain_output_has_no_escape_codes():
    plain = summary(color=False)
    colored = summary(color=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in colored
    uncolored = [line.rstrip() for line in ANSI_RE.sub("", colored).splitlines()]
    assert uncolored == plain.splitlines()


def test_module_of_handles_root_files_and_a_single_directory():
    assert module_of(["app.py", "pkg/a/x.py"]) == {"app.py": "./", "pkg/a/x.py": "pkg/"}
    assert module_of(["src/pkg/x.py", "src/pkg/y.py"]) == {
        "src/pkg/x.py": "src/pkg/",
        "src/pkg/y.py": "src/pkg/",
    }
    assert module_of(["a/b/c.py", "a/d.py"]) == {"a/b/c.py": "a/b/", "a/d.py": "a/"}
