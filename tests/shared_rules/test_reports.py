"""The JSON contracts: versioned, written atomically, corrupt files rejected clearly."""

from __future__ import annotations

import errno
import json
import os

import pytest
from blocking_io.shared_rules import InputError
from blocking_io.shared_rules.reports import (
    AnchorsReport,
    FindingsReport,
    GapsReport,
    Stats,
    ToolInfo,
    dump_report,
    load_report,
)


def _findings() -> FindingsReport:
    return FindingsReport(
        tool=ToolInfo(version="1.0"),
        root="/srv/app",
        config_hash="c",
        rules_hash="r",
        findings=[],
        functions={"app.f": {"path": "app.py", "span": (1, 3), "async": True}},
        errors=[],
        stats=Stats(files=1, lines=3, seconds=0.1, cache_hits=0),
    )


def test_round_trip_and_key_order(tmp_path):
    path = tmp_path / "out" / "findings.json"
    dump_report(_findings(), path)
    text = path.read_text()
    assert list(json.loads(text)) == [
        "schema", "tool", "root", "config_hash", "rules_hash", "findings", "functions",
        "offloads", "unused_suppressions", "files", "errors", "stats", "libraries", "warnings",
    ]  # fmt: skip
    assert json.loads(text)["functions"]["app.f"]["async"] is True
    assert load_report(path, FindingsReport) == _findings()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"schema": "blocking-io/findings/2", "tool": ',
            "corrupt report: invalid JSON at line 1",
        ),
        (b"[1, 2]", "not a blocking-io report (no 'schema' key"),
        (b'{"schema": "blocking-io/findings/0"}', "wrong report schema 'blocking-io/findings/0'"),
        (b'{"schema": "blocking-io/anchors/2"}', "wrong report schema 'blocking-io/anchors/2'"),
        (
            b'{"schema": "blocking-io/findings/2", "tool": {"version": "1"}}',
            "corrupt report: report.root: required key is missing",
        ),
        (b"\xff\xfe\x00", "not a UTF-8 JSON file"),
    ],
)
def test_corrupt_or_wrong_reports_are_rejected_with_the_path(tmp_path, content, message):
    path = tmp_path / "findings.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_report(path, FindingsReport)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_each_contract_checks_its_own_schema(tmp_path):
    path = tmp_path / "anchors.json"
    dump_report(_findings(), path)
    with pytest.raises(InputError, match="expected 'blocking-io/anchors/2'"):
        load_report(path, AnchorsReport)
    with pytest.raises(InputError, match="expected 'blocking-io/gaps/1'"):
        load_report(path, GapsReport)
    with pytest.raises(InputError, match="report not found"):
        load_report(tmp_path / "missing.json", FindingsReport)


def test_a_failed_write_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    path = tmp_path / "findings.json"
    dump_report(_findings(), path)
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    changed = _findings().model_copy(update={"root": "/elsewhere"})
    with pytest.raises(InputError, match="cannot write report: No space left on device"):
        dump_report(changed, path)
    assert path.read_bytes() == before
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".gitignore", "CACHEDIR.TAG", "findings.json"]  # no temp file left


def test_report_dir_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("not a directory")
    with pytest.raises(InputError, match="cannot write report"):
        dump_report(_findings(), blocker / "findings.json")


def test_reports_get_ordinary_permissions(tmp_path):
    path = tmp_path / "findings.json"
    dump_report(_findings(), path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
