"""Bad input never stops a scan: each unusable file is one `errors` entry naming its path
(and line where there is one), everything else is analysed with correct findings."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import blocking_io.static_detector.scan as scan_module
import blocking_io.static_detector.summarize as summarize_module
import hypothesmith
import pytest
from blocking_io.shared_rules import load_config
from blocking_io.shared_rules.reports import FindingsReport, parse_report, report_json
from blocking_io.static_detector.findings import ELLIPSIS, MAX_CODE
from blocking_io.static_detector.scan import MAX_FILE_BYTES, scan
from detect_support import (
    APP,
    APP_FINDINGS,
    assert_clean_stderr,
    check_sarif,
    detect,
    errors_by_path,
    keys,
    make_project,
    report_of,
    write,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocking_io.cli.console.findings import OutputFormat, render

# name -> (content, expected kind, expected line or None when there is no line)
BAD_FILES: dict[str, tuple[str | bytes, str, int | None]] = {
    "syntax.py": ("x = 1\ndef broken(:\n    pass\n", "syntax-error", 2),
    "bad_utf8.py": (b"x = 1\n\n\ny = '\xff\xfe'\n", "undecodable", 4),
    "bad_utf8_first_line.py": (b"x = '\xff'\n", "undecodable", 1),
    "wrong_cookie.py": (b"# -*- coding: ascii -*-\nname = 'caf\xc3\xa9'\n", "undecodable", 2),
    "unknown_cookie.py": (b"# -*- coding: klingon -*-\nx = 1\n", "undecodable", None),
    "nul_bytes.py": (b"x = 1\ny = 2\x00\n", "undecodable", 2),
    "parens.py": ("x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n", "too-deep", 1),
    "lists.py": ("x = " + "[" * 50_000 + "]" * 50_000 + "\n", "too-deep", 1),
    "indent.py": (
        "".join("    " * i + "if x:\n" for i in range(120)) + "    " * 120 + "pass\n",
        "too-deep",
        101,
    ),
    # refused by the parser (no line) or, on Python 3.10, by the analysis (line 1)
    "unary.py": ("x = " + "-" * 100_000 + "1\n", "too-deep", None),
    "long_sum.py": ("x = " + "+".join(["1"] * 100_000) + "\n", "too-deep", None),
}
PARSER_OR_ANALYSIS = {"app/bad/unary.py", "app/bad/long_sum.py"}

KNOWN_KINDS = {"syntax-error", "undecodable", "newer-syntax", "unparsable", "too-deep"}


def bad_project(root: Path) -> Path:
    files: dict[str, str | bytes] = dict(APP)
    for name, (content, _, _) in BAD_FILES.items():
        files[f"app/bad/{name}"] = content
    make_project(root, files)
    bad = root / "app" / "bad"
    (bad / "huge.py").write_bytes(b"x = 1\n" * (MAX_FILE_BYTES // 6 + 10))
    os.mkfifo(bad / "fifo.py")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(bad / "sock.py"))
    server.close()
    (bad / "dangling.py").symlink_to("nowhere.py")
    (bad / "self_loop.py").symlink_to("self_loop.py")
    (bad / "loop").symlink_to("..")  # a directory symlink to its parent
    (bad / "pkg.py").mkdir()  # a directory named like a module: walked, not read
    write(
        root, {"app/bad/pkg.py/inner.py": "import time\n\nasync def tick():\n    time.sleep(1)\n"}
    )
    return root


EXPECTED_ERRORS = {
    **{f"app/bad/{name}": (kind, line) for name, (_, kind, line) in BAD_FILES.items()},
    "app/bad/huge.py": ("too-large", None),
    "app/bad/fifo.py": ("unreadable", None),
    "app/bad/sock.py": ("unreadable", None),
    "app/bad/dangling.py": ("unreadable", None),
    "app/bad/self_loop.py": ("unreadable", None),
}


@pytest.mark.timeout(120)
def test_every_kind_of_bad_file_is_one_error_line_and_the_rest_is_analysed(tmp_path):
    bad_project(tmp_path)
    done = detect(tmp_path, "--jobs", "2")
    assert done.returncode == 2
    assert_clean_stderr(done)
    report = report_of(tmp_path)
    errors = errors_by_path(report)
    for path in PARSER_OR_ANALYSIS:
        kind, line = errors[path]
        assert line in (None, 1)
        errors[path] = (kind, None)
    assert errors == EXPECTED_ERRORS
    assert len(report.errors) == len(EXPECTED_ERRORS)  # one entry per file
    inner = ("app/bad/pkg.py/inner.py", "app.bad.pkg.py.inner.tick", "BIO301")
    assert keys(report) == APP_FINDINGS | {inner}
    assert not [p for p in report.files if "/loop/" in p]  # the symlink loop is not followed
    # text output: one line per bad file, naming it
    for path, (kind, _) in EXPECTED_ERRORS.items():
        line = next(e.line for e in report.errors if e.path == path)
        where = path if line is None else f"{path}:{line}"
        (shown,) = [s for s in done.stdout.splitlines() if s.startswith(f"{where}: error: ")]
        assert f": {kind}: " in shown
    (summary,) = done.stderr.strip().splitlines()
    assert f"{len(EXPECTED_ERRORS)} files could not be analysed" in summary
    # and each says what is wrong
    messages = {e.path.rsplit("/", 1)[-1]: e.message for e in report.errors}
    assert messages["bad_utf8.py"] == "not valid utf-8: byte 0xff at line 4, column 6"
    assert messages["bad_utf8_first_line.py"] == "not valid utf-8: byte 0xff at line 1, column 6"
    assert messages["wrong_cookie.py"] == "not valid ascii: byte 0xc3 at line 2, column 12"
    assert "klingon" in messages["unknown_cookie.py"]
    assert "NUL" in messages["nul_bytes.py"]
    assert "named pipe" in messages["fifo.py"]
    assert "socket" in messages["sock.py"]
    assert messages["dangling.py"] == "broken symbolic link (to nowhere.py)"
    assert messages["self_loop.py"] == "symbolic link loop"
    assert str(MAX_FILE_BYTES) in messages["huge.py"]


def test_explicitly_named_unreadable_paths_are_errors_too(tmp_path):
    bad_project(tmp_path)
    bad = tmp_path / "app" / "bad"
    done = detect(
        tmp_path,
        bad / "fifo.py",
        bad / "self_loop.py",
        bad / "dangling.py",
        "app/handlers.py",
        "app/helpers.py",
    )
    assert done.returncode == 2
    assert_clean_stderr(done)
    assert set(errors_by_path(report_of(tmp_path))) == {
        "app/bad/fifo.py",
        "app/bad/self_loop.py",
        "app/bad/dangling.py",
    }


BLOCKING = b"import time\n\nasync def f():\n    time.sleep(1)\n"


def names_project(root: Path) -> None:
    """APP plus files and a folder whose names are not valid UTF-8 or hold a newline."""
    make_project(root)
    app = os.fsencode(root / "app")
    with open(app + b"/a\xff.py", "wb") as fh:
        fh.write(BLOCKING)
    with open(app + b"/new\nline.py", "wb") as fh:
        fh.write(BLOCKING)
    os.mkdir(app + b"/d\xfe")
    for name in (b"inner.py", b"other.py"):  # one line for the folder, not one per file
        with open(app + b"/d\xfe/" + name, "wb") as fh:
            fh.write(BLOCKING)


NAME_ERRORS = {
    "app/a\\xff.py": ("bad-file-name", None),
    "app/new\\nline.py": ("bad-file-name", None),
    "app/d\\xfe": ("bad-file-name", None),
}


@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_file_names_that_are_not_utf_8_or_hold_a_newline_are_one_escaped_error_line_each(
    tmp_path, cache
):
    names_project(tmp_path)
    done = detect(tmp_path, *(["--no-cache"] if cache == "no-cache" else []))
    assert_clean_stderr(done)
    assert done.returncode == 2, done.stderr
    report = report_of(tmp_path)
    assert errors_by_path(report) == NAME_ERRORS
    assert keys(report) == APP_FINDINGS  # the rest is scanned
    messages = {e.path: e.message for e in report.errors}
    assert "not valid UTF-8" in messages["app/a\\xff.py"]
    assert "newline" in messages["app/new\\nline.py"]
    # text output: each bad name is one line, escaped, and nothing else is split
    for path in NAME_ERRORS:
        (shown,) = [s for s in done.stdout.splitlines() if s.startswith(f"{path}: error: ")]
        assert ": bad-file-name: " in shown
    assert not [s for s in done.stdout.splitlines() if s.startswith("line.py")]
    # and a second run (served from the cache when there is one) says the same
    again = detect(tmp_path, *(["--no-cache"] if cache == "no-cache" else []))
    assert (again.returncode, again.stdout) == (2, done.stdout)


def test_a_file_named_on_the_command_line_that_is_not_utf_8_is_an_error_line(tmp_path):
    names_project(tmp_path)
    bad = os.fsdecode(os.fsencode(tmp_path / "app") + b"/a\xff.py")
    done = detect(tmp_path, bad, "app/handlers.py", "app/helpers.py")
    assert_clean_stderr(done)
    assert done.returncode == 2
    report = report_of(tmp_path)
    assert errors_by_path(report) == {"app/a\\xff.py": ("bad-file-name", None)}
    assert keys(report) == APP_FINDINGS


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="parses fine on Python 3.12+")
def test_syntax_newer_than_the_running_python_says_which_version_is_needed(tmp_path):
    files = dict(APP)
    files["app/aliases.py"] = "import time\n\ntype UserId = int\n"
    files["app/generic.py"] = "def first[T](items: list[T]) -> T:\n    return items[0]\n"
    make_project(tmp_path, files)
    done = detect(tmp_path)
    assert done.returncode == 2
    report = report_of(tmp_path)
    assert errors_by_path(report) == {
        "app/aliases.py": ("newer-syntax", 3),
        "app/generic.py": ("newer-syntax", 1),
    }
    (alias,) = [e for e in report.errors if e.path == "app/aliases.py"]
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert "needs Python 3.12+" in alias.message and f"running {running}" in alias.message
    assert keys(report) == APP_FINDINGS


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type statements need Python 3.12")
def test_type_statements_are_analysed_on_python_3_12_and_later(tmp_path):
    files = dict(APP)
    files["app/aliases.py"] = (
        "import time\n\ntype UserId = int\n\nasync def f():\n    time.sleep(1)\n"
    )
    make_project(tmp_path, files)
    assert detect(tmp_path).returncode == 1
    report = report_of(tmp_path)
    assert report.errors == []
    assert ("app/aliases.py", "app.aliases.f", "BIO301") in keys(report)


# -- long lines: what a finding carries is bounded ----------------------------------------------

CALL = "time.sleep(0)"  # 13 characters, 15 with the "; " between calls


def one_line_project(root: Path, calls: int, lead: str = "") -> Path:
    """`calls` blocking calls on one line of an `async def`, and an unrelated one elsewhere."""
    files = dict(APP)
    files["app/oneline.py"] = (
        "import time\n\n\nasync def crowded():\n    "
        + lead
        + "; ".join([CALL] * calls)
        + "\n\n\nasync def other():\n    time.sleep(2)\n"
    )
    make_project(root, files)
    return root


def test_a_finding_on_a_long_line_carries_an_excerpt_around_its_call(tmp_path):
    calls = 16_000
    one_line_project(tmp_path, calls)
    report = scan(load_config(tmp_path / "pyproject.toml"), jobs=1, use_cache=False).report
    assert keys(report) == APP_FINDINGS | {
        ("app/oneline.py", "app.oneline.crowded", "BIO301"),
        ("app/oneline.py", "app.oneline.other", "BIO301"),
    }
    crowded = sorted(
        (f for f in report.findings if f.function == "app.oneline.crowded"), key=lambda f: f.column
    )
    assert len(crowded) == calls  # one finding per call, as on separate lines
    assert [f.column for f in crowded] == [5 + 15 * i for i in range(calls)]  # 1-based
    # each carries a window of the line around its own call, not the 240 kB line
    assert max(len(f.code) for f in crowded) <= MAX_CODE
    assert crowded[0].code.startswith(CALL) and crowded[0].code.endswith(ELLIPSIS)
    middle = crowded[calls // 2].code
    assert middle.startswith(ELLIPSIS) and middle.endswith(ELLIPSIS) and CALL in middle
    assert crowded[-1].code.startswith(ELLIPSIS) and crowded[-1].code.endswith(CALL)
    # findings on the line stay distinct (their fingerprints), and short lines are whole
    assert len({f.fingerprint for f in crowded}) == calls
    (other,) = [f for f in report.findings if f.function == "app.oneline.other"]
    assert other.code == "time.sleep(2)"
    assert len(report_json(report)) < 2_000 * calls  # the report is bounded too (was 3.9 GB)


def test_columns_and_excerpts_count_characters_on_a_long_non_ascii_line(tmp_path):
    calls = 2_000
    lead = (
        "label = 'caf\u00e9 \u2603 \U0001f600'; "  # 2-, 3- and 4-byte characters before the calls
    )
    one_line_project(tmp_path, calls, lead=lead)
    report = scan(load_config(tmp_path / "pyproject.toml"), jobs=1, use_cache=False).report
    crowded = sorted(
        (f for f in report.findings if f.function == "app.oneline.crowded"), key=lambda f: f.column
    )
    line = (tmp_path / "app" / "oneline.py").read_text(encoding="utf-8").splitlines()[4]
    assert [f.column for f in crowded] == [
        5 + len(lead) + 15 * i for i in range(calls)
    ]  # 1-based characters, not UTF-8 bytes
    for f in crowded:
        assert line[f.column - 1 : f.end_column - 1] == CALL
        assert len(f.code) <= MAX_CODE and CALL in f.code
    assert crowded[0].code.startswith(lead.strip()[:20])


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_5_7_mb_line_of_calls_is_scanned_whole_in_bounded_memory(tmp_path):
    """Once 24 GB and killed by the kernel: now each of the 380,000 findings holds an excerpt."""
    calls = 380_000
    one_line_project(tmp_path, calls)
    assert (tmp_path / "app" / "oneline.py").stat().st_size > 5_700_000
    done = detect(tmp_path, "--no-cache", "--format", "summary", "--jobs", "1", timeout=880)
    assert_clean_stderr(done)
    assert done.returncode == 1, done.stderr
    report = report_of(tmp_path)
    crowded = [f for f in report.findings if f.function == "app.oneline.crowded"]
    assert len(crowded) == calls
    assert max(len(f.code) for f in crowded) <= MAX_CODE
    assert ("app/oneline.py", "app.oneline.other", "BIO301") in keys(report)


# -- deeply nested code: analysed, or lost alone -------------------------------------------

# deeper than the visitor walks within the default limit of 1000 frames (3 frames per
# elif, 2 per call of a chain), which CPython compiles fine
ELIFS = 500  # an `if` with 500 `elif`s: 500 nested If nodes
CHAIN = 600  # q.where(...).where(1)... : 1200 nested Call/Attribute nodes


def deep_module() -> str:
    branches = "".join(f"    elif x == {i}:\n        return {i}\n" for i in range(1, ELIFS))
    return (
        "import time\n\n\n"
        "async def classify(x):\n    if x == 0:\n        return 0\n" + branches
        + f"    elif x == {ELIFS}:\n        time.sleep(1)\n    else:\n        return -1\n\n\n"
        "def build(q):\n    return q.where(time.sleep(3))" + ".where(1)" * CHAIN + "\n\n\n"
        "async def query(q):\n    return build(q)\n\n\n"
        "async def other():\n    time.sleep(2)\n"
    )  # fmt: skip


DEEP_FINDINGS = {
    ("app/deep.py", "app.deep.classify", "BIO301"),  # in the innermost branch
    ("app/deep.py", "app.deep.query", "BIO301"),  # through the innermost call of the chain
    ("app/deep.py", "app.deep.other", "BIO301"),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_deeply_nested_functions_are_analysed_and_do_not_cost_their_module(tmp_path, jobs):
    files: dict[str, str | bytes] = {**APP, "app/deep.py": deep_module()}
    # enough files for a pool of worker processes (the summaries are pickled back)
    files.update({f"app/filler{i:02}.py": f"X{i} = {i}\n" for i in range(30)})
    make_project(tmp_path, files)
    done = detect(tmp_path, "--jobs", jobs, "--no-cache")
    assert_clean_stderr(done)
    assert done.returncode == 1, done.stdout + done.stderr
    report = report_of(tmp_path)
    assert report.errors == []
    assert keys(report) == APP_FINDINGS | DEEP_FINDINGS
    (classify,) = [f for f in report.findings if f.function == "app.deep.classify"]
    assert classify.line == 4 + 2 * ELIFS + 2  # the `time.sleep(1)` under the last elif
    # served from the cache: the same
    assert detect(tmp_path, "--jobs", jobs).returncode == 1
    assert keys(report_of(tmp_path)) == APP_FINDINGS | DEEP_FINDINGS


def test_a_function_still_too_deep_is_lost_alone_and_named(tmp_path, monkeypatch):
    # The deep walk allows more nesting than the parser builds (a few thousand levels), so
    # no source reaches past it; lowered here (500 elifs need about 1,500 frames), the same
    # mechanism shows what happens to a function, or a statement, nested deeper still
    monkeypatch.setattr(summarize_module, "DEEP_FRAMES", 1_800)
    deeper = "".join(f"    elif x == {i}:\n        return {i}\n" for i in range(1, 2 * ELIFS))
    source = (
        deep_module()
        + "\n\ndef table(x):\n    if x == 0:\n        return 0\n" + deeper
        + "\n\nBIG = 1" + " + 1" * 2_000 + "\n\n\nasync def last():\n    time.sleep(4)\n"
    )  # fmt: skip
    make_project(tmp_path, {**APP, "app/deep.py": source})
    report = scan(load_config(tmp_path / "pyproject.toml"), jobs=1, use_cache=False).report
    lines = source.splitlines()
    table_line = lines.index("def table(x):") + 1
    big_line = next(i for i, text in enumerate(lines, 1) if text.startswith("BIG = "))
    assert sorted((e.path, e.line, e.kind) for e in report.errors) == [
        ("app/deep.py", table_line, "too-deep"),
        ("app/deep.py", big_line, "too-deep"),
    ]
    table, big = sorted(report.errors, key=lambda e: e.line or 0)
    assert table.message.startswith("`table` is nested too deep to analyse")
    assert big.message.startswith("a module-level statement is nested too deep")
    assert "the rest of the module is analysed" in table.message
    # everything else in the module, before and after the lost parts, is still reported
    assert keys(report) == APP_FINDINGS | DEEP_FINDINGS | {
        ("app/deep.py", "app.deep.last", "BIO301")
    }
    # `table` is still a function the rest of the program can call
    assert "app.deep.table" in report.functions


def test_compiler_warnings_about_scanned_code_are_not_printed(tmp_path):
    files = dict(APP)
    files["app/patterns.py"] = 'import re\n\nDIGITS = re.compile("\\d+")\nSAME = 1 is 1\n'
    make_project(tmp_path, files)
    done = detect(tmp_path, "--jobs", "1", env={"PYTHONWARNINGS": "always"})
    assert done.returncode == 1
    assert done.stderr == ""  # no "SyntaxWarning: invalid escape sequence" from the parser
    assert keys(report_of(tmp_path)) == APP_FINDINGS


# -- files that change under the scan ---------------------------------------------------------


@pytest.mark.timeout(60)
def test_files_that_vanish_or_change_between_discovery_and_reading(tmp_path, monkeypatch):
    files = dict(APP)
    files["app/gone.py"] = "import time\n\nasync def g():\n    time.sleep(1)\n"
    files["app/edited.py"] = "async def e():\n    return 1\n"
    files["app/piped.py"] = "x = 1\n"
    make_project(tmp_path, files)
    edited = "import time\n\nasync def e():\n    time.sleep(2)\n"
    discover = scan_module.discover

    def racing(project, paths, *rest):
        found = discover(project, paths, *rest)
        (tmp_path / "app" / "gone.py").unlink()
        (tmp_path / "app" / "edited.py").write_text(edited, encoding="utf-8")
        (tmp_path / "app" / "piped.py").unlink()
        os.mkfifo(tmp_path / "app" / "piped.py")
        return found

    monkeypatch.setattr(scan_module, "discover", racing)
    report = scan(load_config(tmp_path / "pyproject.toml"), jobs=1, use_cache=False).report
    assert errors_by_path(report) == {
        "app/gone.py": ("unreadable", None),
        "app/piped.py": ("unreadable", None),
    }
    assert "disappeared" in report.errors[0].message
    # the edited file is analysed as read, and the report says which content that was
    assert keys(report) == APP_FINDINGS | {("app/edited.py", "app.edited.e", "BIO301")}
    assert report.files["app/edited.py"] == hashlib.sha256(edited.encode()).hexdigest()


# -- a worker process that dies -------------------------------------------------------------

CRASHING_WORKER = """
import os, signal, sys, time
import blocking_io.static_detector.workers as workers

main_pid = os.getpid()
how, victim = sys.argv[1], sys.argv[2]
reached = os.path.abspath("victim-reached")
original = workers._summarize_job


def crashing(job):
    if os.getpid() != main_pid:
        if job.rel == victim:
            open(reached, "w").close()
            if how == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
    else:  # this process summarizes too, from the back: a worker reaches the victim first
        deadline = time.monotonic() + 60
        while not os.path.exists(reached) and time.monotonic() < deadline:
            time.sleep(0.01)
    return original(job)


workers._summarize_job = crashing
sys.argv = ["blocking-io", *sys.argv[3:]]
from blocking_io.cli.app import main
main()
"""


@pytest.mark.parametrize("how", ["exit", "sigkill"])
@pytest.mark.timeout(120)
def test_a_crashing_worker_costs_one_file_not_the_scan(tmp_path, how):
    count = 30
    files = {"svc/__init__.py": ""}
    for i in range(count):
        files[f"svc/m{i:02}.py"] = (
            f"import time\n\n\nasync def handler{i}():\n    time.sleep({i})\n"
        )
    make_project(tmp_path, files, config='source-roots = ["."]\ninclude = ["svc"]\n')
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_WORKER, how, "svc/m07.py", "detect", "--jobs", "2", "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=110,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert_clean_stderr(done)
    report = report_of(tmp_path)
    assert errors_by_path(report) == {"svc/m07.py": ("worker-crashed", None)}
    expected = {(f"svc/m{i:02}.py", f"svc.m{i:02}.handler{i}", "BIO301") for i in range(count)}
    assert keys(report) == expected - {("svc/m07.py", "svc.m07.handler7", "BIO301")}
    assert "could not be analysed (svc/m07.py)" in done.stderr


# -- recursion in the whole-program analysis ------------------------------------------------


def test_cycles_and_deep_chains_in_the_call_graph_and_class_hierarchy(tmp_path):
    depth = 3000
    chain = ["import time", ""]
    for i in range(depth):
        chain.append(f"def step{i}():\n    return step{i + 1}()\n")
    chain.append(f"def step{depth}():\n    time.sleep(1)\n")
    chain.append("async def deep():\n    step0()\n")
    files = {
        "app/__init__.py": "",
        # class A(B) / class B(A) across modules: an impossible hierarchy, but it parses
        "app/a.py": """
            import time

            from app.b import B


            class A(B):
                def nap(self):
                    time.sleep(1)


            async def use_a():
                A().nap()
                A().missing()
        """,
        "app/b.py": """
            from app.a import A


            class B(A):
                pass


            async def use_b():
                B().nap()
        """,
        "app/mutual.py": """
            import time


            def ping(n):
                return pong(n - 1) if n else time.sleep(1)


            def pong(n):
                return ping(n - 1)


            async def play():
                ping(3)
        """,
        "app/chain.py": "\n".join(chain),
    }
    make_project(tmp_path, files)
    report = scan(load_config(tmp_path / "pyproject.toml"), jobs=1, use_cache=False).report
    for error in report.errors:  # allowed, if it says where
        assert error.path.startswith("app/") and error.line is not None, error
    found = keys(report)
    assert ("app/mutual.py", "app.mutual.play", "BIO301") in found
    assert ("app/a.py", "app.a.use_a", "BIO301") in found
    assert ("app/b.py", "app.b.use_b", "BIO301") in found
    if not report.errors:
        (deep,) = [f for f in report.findings if f.function == "app.chain.deep"]
        assert len(deep.chain) == depth + 3  # deep -> step0 .. step3000 -> time.sleep


# -- properties -----------------------------------------------------------------------------

# hypothesmith compiles what it generates, and the compiler warns about `...()`: not ours
quiet_generator = pytest.mark.filterwarnings("ignore::SyntaxWarning")

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def scan_with(root: Path, generated: str | bytes) -> FindingsReport:
    path = root / "app" / "generated.py"
    if isinstance(generated, bytes):
        path.write_bytes(generated)
    else:
        path.write_text(generated, encoding="utf-8")
    project = load_config(root / "pyproject.toml")
    report = scan(project, jobs=1, use_cache=False).report
    # the contracts hold whatever the input: findings.json and SARIF both validate
    parse_report(report_json(report), FindingsReport, "findings.json")
    check_sarif(render(report, OutputFormat.sarif, project.registry))
    return report


@quiet_generator
@PROPERTY_SETTINGS
@given(source=hypothesmith.from_grammar())
def test_any_valid_module_scans_to_valid_reports(tmp_path, source):
    if not (tmp_path / "pyproject.toml").exists():
        make_project(tmp_path)
    report = scan_with(tmp_path, source)
    assert keys(report) >= APP_FINDINGS  # the rest of the project is unaffected
    for error in report.errors:
        assert error.path == "app/generated.py" and error.kind in KNOWN_KINDS, error


@PROPERTY_SETTINGS
@given(raw=st.binary(max_size=400) | st.binary(max_size=400).map(lambda b: b"async def f():\n" + b))
def test_random_bytes_are_an_error_entry_never_a_crash(tmp_path, raw):
    if not (tmp_path / "pyproject.toml").exists():
        make_project(tmp_path)
    report = scan_with(tmp_path, raw)
    assert keys(report) >= APP_FINDINGS
    for error in report.errors:
        assert error.path == "app/generated.py" and error.kind in KNOWN_KINDS, error
