"""Baselines: accept today's findings, report only new ones; clear errors for bad files."""

from __future__ import annotations

import json

import pytest
from blocking_io.shared_rules.errors import InputError
from blocking_io.shared_rules.reports import dump_report
from blocking_io.static_detector.baseline import (
    apply_baseline,
    build_baseline,
    load_baseline,
    write_baseline,
)
from hypothesis import given
from hypothesis import strategies as st
from test_output_render import (
    READ,
    REQUESTS,
    SLEEP,
    STAT,
    SUBPROCESS,
    WRITE,
    WRITE_AGAIN,
    sample_report,
)


def moved(finding, lines: int):
    """The same finding after an unrelated edit pushed it down by `lines`."""
    return finding.model_copy(
        update={"line": finding.line + lines, "end_line": finding.end_line + lines}
    )


def test_written_baseline_is_sorted_counted_and_leaves_out_suppressed_findings(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(sample_report(), path)
    data = json.loads(path.read_text("utf-8"))
    assert data["schema"] == "blocking-io/baseline/1"
    entries = data["findings"]
    assert [(e["path"], e["rule"]) for e in entries] == sorted(
        (e["path"], e["rule"]) for e in entries
    )
    assert {e["rule"] for e in entries} == {"BIO103", "BIO106", "BIO201", "BIO301", "BIO406"}
    (write,) = [e for e in entries if e["rule"] == "BIO103"]
    assert write == {
        "fingerprint": WRITE.fingerprint,
        "rule": "BIO103",
        "path": "packages/relay/storage/files.py",
        "function": "relay.storage.files.save_blob",
        "count": 2,
    }
    assert READ.fingerprint not in path.read_text("utf-8")  # suppressed: not baselined
    assert "données utilisateur" in path.read_text("utf-8")


def test_baseline_file_is_byte_identical_whatever_the_finding_order(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(sample_report(), a)
    write_baseline(sample_report([STAT, WRITE_AGAIN, SLEEP, READ, SUBPROCESS, WRITE, REQUESTS]), b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes().endswith(b"\n")


def test_a_report_against_its_own_baseline_has_nothing_new(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(sample_report(), path)
    remaining = apply_baseline(sample_report(), load_baseline(path))
    assert [f.suppressed is not None for f in remaining.findings] == [True]  # only READ


def test_findings_moved_by_unrelated_edits_are_still_in_the_baseline(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(sample_report([SLEEP, WRITE, WRITE_AGAIN]), path)
    later = sample_report([moved(SLEEP, 12), moved(WRITE, 3), moved(WRITE_AGAIN, 3)])
    assert apply_baseline(later, load_baseline(path)).findings == []


def test_multiset_one_more_copy_of_a_baselined_finding_is_new():
    baseline = build_baseline(sample_report([WRITE, WRITE_AGAIN]))
    third = moved(WRITE_AGAIN, 10)  # same fingerprint, a third call in save_blob
    remaining = apply_baseline(sample_report([third, WRITE, WRITE_AGAIN]), baseline)
    assert remaining.findings == [third]  # the last one in source order is the new one


def test_multiset_fewer_copies_than_the_baseline_leaves_nothing_new():
    baseline = build_baseline(sample_report([WRITE, WRITE_AGAIN]))
    assert apply_baseline(sample_report([WRITE]), baseline).findings == []


@given(baselined=st.integers(0, 5), now=st.integers(0, 5), other=st.integers(0, 3))
def test_multiset_new_count_is_what_exceeds_the_baseline(baselined, now, other):
    def copies(finding, n):
        return [moved(finding, 20 * i) for i in range(n)]

    baseline = build_baseline(sample_report(copies(WRITE, baselined) + copies(SLEEP, 1)))
    report = sample_report(copies(WRITE, now) + copies(STAT, other) + copies(SLEEP, 1))
    remaining = apply_baseline(report, baseline).findings
    assert sum(f.fingerprint == WRITE.fingerprint for f in remaining) == max(0, now - baselined)
    assert sum(f.fingerprint == STAT.fingerprint for f in remaining) == other
    assert SLEEP not in remaining


def test_new_rule_or_new_function_is_new():
    baseline = build_baseline(sample_report([SLEEP]))
    remaining = apply_baseline(sample_report([SLEEP, STAT, REQUESTS]), baseline)
    assert remaining.findings == [STAT, REQUESTS]  # report order kept


def test_suppressed_findings_neither_use_up_the_baseline_nor_disappear():
    baseline = build_baseline(sample_report([WRITE]))
    suppressed_copy = WRITE_AGAIN.model_copy(update={"suppressed": READ.suppressed})
    remaining = apply_baseline(sample_report([suppressed_copy, WRITE]), baseline)
    assert remaining.findings == [suppressed_copy]


def test_apply_keeps_everything_else_of_the_report():
    report = sample_report()
    remaining = apply_baseline(report, build_baseline(sample_report([SLEEP])))
    assert remaining.errors == report.errors
    assert remaining.unused_suppressions == report.unused_suppressions
    assert remaining.stats == report.stats
    assert len(remaining.findings) == len(report.findings) - 1


def test_an_earlier_findings_report_works_as_a_baseline(tmp_path):
    old = tmp_path / "findings.json"
    dump_report(sample_report([SLEEP, WRITE]), old)
    baseline = load_baseline(old)
    remaining = apply_baseline(sample_report([SLEEP, WRITE, WRITE_AGAIN, STAT]), baseline)
    assert remaining.findings == [WRITE_AGAIN, STAT]


# -- bad files: one line, naming the path --------------------------------------------------


def error_for(path) -> str:
    with pytest.raises(InputError) as info:
        load_baseline(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_missing_baseline(tmp_path):
    assert error_for(tmp_path / "nope.json") == "baseline not found"


def test_baseline_path_is_a_directory(tmp_path):
    assert "directory" in error_for(tmp_path)


def test_truncated_baseline(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(sample_report(), path)
    path.write_text(path.read_text("utf-8")[:150], "utf-8")
    assert error_for(path).startswith("corrupt baseline: invalid JSON at line ")


def test_baseline_that_is_not_utf8(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_bytes(b'{"schema": "blocking-io/baseline/1", "x": "\xff"}')
    assert error_for(path) == "corrupt baseline: not a UTF-8 JSON file"


def test_baseline_without_a_schema(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text("[1, 2, 3]", "utf-8")
    assert error_for(path) == (
        "not a blocking-io baseline (no 'schema' key; expected 'blocking-io/baseline/1')"
    )


def test_baseline_with_another_schema(tmp_path):
    path = tmp_path / "anchors.json"
    path.write_text(json.dumps({"schema": "blocking-io/anchors/1"}), "utf-8")
    message = error_for(path)
    assert message.startswith("wrong baseline schema 'blocking-io/anchors/1' (expected")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda e: e.update(count=0), "baseline.findings[0].count"),
        (lambda e: e.update(count="two"), "baseline.findings[0].count: expected an integer"),
        (
            lambda e: e.pop("fingerprint"),
            "baseline.findings[0].fingerprint: required key is missing",
        ),
        (lambda e: e.update(colour="red"), "baseline.findings[0].colour: unknown key"),
    ],
)
def test_baseline_with_a_bad_entry(tmp_path, edit, expected):
    path = tmp_path / "baseline.json"
    write_baseline(sample_report(), path)
    data = json.loads(path.read_text("utf-8"))
    edit(data["findings"][0])
    path.write_text(json.dumps(data), "utf-8")
    message = error_for(path)
    assert message.startswith("corrupt baseline: ") and expected in message


def test_corrupt_findings_report_used_as_a_baseline_names_the_file(tmp_path):
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"schema": "blocking-io/findings/2", "findings": 3}), "utf-8")
    assert error_for(path).startswith("corrupt report: ")
