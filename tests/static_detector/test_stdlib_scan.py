"""Scale and robustness on real code: the whole standard library of the running interpreter
(tests included), scanned by the command a user runs. Slow: `make test-all`."""

from __future__ import annotations

import fnmatch
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from detect_support import detect, report_of

# files the standard library ships on purpose broken (Python 2 test data, bad encodings,
# invalid characters): the only files allowed to become `errors` entries
KNOWN_BAD = (
    "*/lib2to3/tests/data/*",
    "*/test/test_lib2to3/data/*",
    "*/test/tokenizedata/bad*",
    "*/test/bad_coding*",
    "*/test/badsyntax_*",
    "*/test/encoded_modules/*",
)


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_whole_standard_library_scans_without_a_crash(tmp_path):
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    (tmp_path / "pyproject.toml").write_text(
        "[tool.blocking-io]\n"
        f"source-roots = [{str(stdlib)!r}]\n"
        f"include = [{str(stdlib)!r}]\n"
        'exclude = ["**/site-packages/**"]\n',
        encoding="utf-8",
    )
    started = time.perf_counter()
    done = detect(tmp_path, "--no-cache", "--format", "summary", timeout=1700)
    wall = time.perf_counter() - started
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (1, 2), done.stderr[-3000:]
    report = report_of(tmp_path)
    stats = report.stats
    print(
        f"\nstdlib of Python {sys.version.split()[0]}: {stats.files} files, {stats.lines} lines, "
        f"{wall:.1f}s wall ({stats.seconds:.1f}s in scan, {stats.lines / stats.seconds:.0f} lines/s); "
        f"{len(report.findings)} findings, {len(report.errors)} errors"
    )
    assert stats.files > 1000 and stats.lines > 500_000
    unexpected = [
        e for e in report.errors if not any(fnmatch.fnmatch(e.path, p) for p in KNOWN_BAD)
    ]
    assert unexpected == []
    # the known-bad files are reported, each by path, and the scan found real things
    assert report.errors, "the stdlib ships deliberately broken files; none reported"
    assert any(f.path.endswith("asyncio/base_events.py") for f in report.findings)
