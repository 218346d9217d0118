"""Whatever bytes sit where a report should be, the reader says so in one line naming the
file: `parse_report` raises `InputError` (never another exception), and the commands that read
reports (`gaps`, `teeth`, `detect --baseline`) exit 2 with that line, no traceback, and no
output file written or half-written.

The valid reports fuzzed here are real: a small project is scanned with `blocking-io detect`,
its anchors run under the gate with `pytest --blocking-io-report`, then `blocking-io teeth`
and `blocking-io gaps` run on the result (once per module).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from blocking_io.gap_report import build_gaps
from blocking_io.gap_report.inputs import Inputs, stale_files
from blocking_io.shared_rules import InputError, load_config
from blocking_io.shared_rules.reports import (
    AnchorsReport,
    FindingsReport,
    GapsReport,
    TeethReport,
    parse_report,
    report_json,
)
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from blocking_io.cli.console.gaps import FORMATS, render

CONTRACTS: dict[str, type[Any]] = {
    "findings": FindingsReport,
    "anchors": AnchorsReport,
    "gaps": GapsReport,
    "teeth": TeethReport,
}

PYPROJECT = """\
[tool.blocking-io]
source-roots = ["src"]
scanned-modules = ["svc"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
"""

# non-ASCII on a reported line: truncations land inside multi-byte characters too
SVC = """\
import asyncio
import time


def read_template(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


async def render(path):
    return (await asyncio.to_thread(read_template, path)).upper()


async def données(path):
    return read_template(path)  # « blocking » on the loop


async def nap():
    time.sleep(0.01)
"""

ANCHORS = """\
from svc import jobs


async def test_render(tmp_path):
    (tmp_path / "t.txt").write_text("hi")
    assert await jobs.render(tmp_path / "t.txt") == "HI"


async def test_données(tmp_path):
    (tmp_path / "t.txt").write_text("hi")
    assert await jobs.données(tmp_path / "t.txt") == "hi"
"""


def blocking_io(
    *args: str | Path, cwd: Path, memory: int | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI as a process; `memory`: an address-space limit in bytes (a runaway allocation
    fails that process with MemoryError instead of starving the machine)."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "blocking_io", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        preexec_fn=limit,
    )


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with all four reports in .blocking-io/, made by the real tools."""
    root = tmp_path_factory.mktemp("reports") / "proj"
    (root / "src" / "svc").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "src" / "svc" / "__init__.py").write_text("")
    (root / "src" / "svc" / "jobs.py").write_text(SVC, encoding="utf-8")
    (root / "tests" / "blocking_io").mkdir(parents=True)
    (root / "tests" / "blocking_io" / "test_jobs.py").write_text(ANCHORS, encoding="utf-8")
    detected = blocking_io("detect", "--format", "json", cwd=root)
    assert detected.returncode == 1, detected.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_CORE_"))}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
         "--blocking-io-report=.blocking-io/anchors.json"],
        cwd=root, capture_output=True, text=True, check=False, env=env, timeout=300,
    )  # fmt: skip
    assert ran.returncode == 1, ran.stdout  # test_données fails: the gate catches it
    teeth = blocking_io("teeth", "--jobs", "2", cwd=root)
    assert teeth.returncode == 0, teeth.stderr
    gaps = blocking_io("gaps", cwd=root)
    assert gaps.returncode == 0, gaps.stderr
    for name, model in CONTRACTS.items():
        path = root / ".blocking-io" / f"{name}.json"
        parse_report(path.read_bytes(), model, path)  # each one valid, and non-trivial:
    data = {n: json.loads((root / ".blocking-io" / f"{n}.json").read_text()) for n in CONTRACTS}
    assert data["findings"]["findings"] and data["findings"]["offloads"]
    assert data["anchors"]["anchors"] and data["anchors"]["violations"]
    assert data["gaps"]["findings"] and data["gaps"]["teeth"]
    assert data["teeth"]["sites"]
    return root


@pytest.fixture
def copy(real: Path, tmp_path: Path) -> Path:
    """A copy of the project and its reports, to damage."""
    target = tmp_path / "proj"
    shutil.copytree(real, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def raw(real: Path, name: str) -> bytes:
    return (real / ".blocking-io" / f"{name}.json").read_bytes()


def rejected(data: str | bytes, model: type[Any], path: str = "dir/report.json") -> str:
    """The message of the InputError `parse_report` must raise: one line naming the path."""
    with pytest.raises(InputError) as caught:
        parse_report(data, model, path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message and "\r" not in message, message
    assert len(message) < 400, message  # one line a person reads, whatever the input
    return message.removeprefix(f"{path}: ")


def parsed_or_rejected(data: str | bytes, model: type[Any]) -> Any:
    """Either a report that survives being written and read back, or one InputError line."""
    try:
        report = parse_report(data, model, "dir/report.json")
    except InputError:
        rejected(data, model)
        return None
    again = parse_report(report_json(report), model, "again.json")
    assert again == report
    return report


# -- truncation -----------------------------------------------------------------------------


def offsets(size: int, budget: int = 3000) -> list[int]:
    """Every offset of a small file; of a large one, the first and last 500 and a spread."""
    if size <= budget:
        return list(range(size))
    step = max(1, size // (budget - 1000))
    return sorted({*range(500), *range(size - 500, size), *range(0, size, step)})


@pytest.mark.parametrize("name", CONTRACTS)
def test_a_real_report_truncated_anywhere_is_one_line_naming_the_file(real, name):
    model = CONTRACTS[name]
    whole = raw(real, name)
    complete = parse_report(whole, model, "whole.json")
    for cut in offsets(len(whole)):
        prefix = whole[:cut]
        if prefix.strip() == whole.strip():  # only the final newline is gone: still whole
            assert parse_report(prefix, model, "x") == complete
            continue
        message = rejected(prefix, model)
        assert message.startswith(("corrupt report: invalid JSON at line", "not a UTF-8 JSON")), (
            cut,
            message,
        )


# -- random JSON ----------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, name=st.sampled_from(list(CONTRACTS)))
def test_random_json_is_never_a_report(value, name):
    rejected(json.dumps(value), CONTRACTS[name])


def _fields(model: type[Any]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if (f.alias or n) != "schema"]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), name=st.sampled_from(list(CONTRACTS)))
def test_random_values_under_the_right_schema_are_one_line_errors(data, name):
    """Past the schema check: random values (and unknown keys) for the contract's keys."""
    model = CONTRACTS[name]
    schema = model.model_fields["schema_"].default
    body = data.draw(
        st.fixed_dictionaries(
            {"schema": st.just(schema)},
            optional={key: json_values for key in [*_fields(model), "extra key"]},
        )
    )
    parsed_or_rejected(json.dumps(body), model)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*here, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_paths(item, (*here, index)))
    return out


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """A real report with one node replaced, deleted, or given an unknown sibling."""
    document = json.loads(json.dumps(document))
    path = draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[last] = draw(json_values)
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=10))] = draw(json_values)
    else:
        parent.insert(last, draw(json_values))
    return document


@pytest.mark.parametrize("name", CONTRACTS)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_real_report_with_one_node_damaged_is_read_whole_or_rejected_in_one_line(
    real, name, data
):
    model = CONTRACTS[name]
    document = json.loads(raw(real, name))
    damaged = data.draw(mutated(document))
    parsed_or_rejected(json.dumps(damaged, ensure_ascii=data.draw(st.booleans())), model)


@settings(max_examples=300, deadline=None)
@given(blob=st.binary(max_size=200), name=st.sampled_from(list(CONTRACTS)))
@example(blob=b"\xef\xbb\xbf", name="findings")
@example(blob=b"\xff\xfe{\x00}\x00", name="anchors")
@example(blob=b'{"schema": "blocking-io/gaps/1"\x00}', name="gaps")
def test_random_bytes_are_one_line_errors(blob, name):
    rejected(blob, CONTRACTS[name])


# -- the inputs that got past the reader before ------------------------------------------------


def _findings_with(real: Path, key: str, value: str) -> str:
    """The real findings report's text with one JSON value spliced in as it is written."""
    document = json.loads(raw(real, "findings"))
    document[key] = "@@"
    return json.dumps(document).replace('"@@"', value)


NASTY = {
    "nested 100 000 deep": lambda real: '{"schema": "blocking-io/findings/2", "tool": '
    + "[" * 100_000
    + "]" * 100_000
    + "}",
    "a 5000-digit number": lambda real: '{"schema": "blocking-io/findings/2", "tool": '
    + "9" * 5000
    + "}",
    "NaN": lambda real: _findings_with(real, "stats", '{"files": 1, "lines": 1, "seconds": NaN, "cache_hits": 0}'),
    "Infinity": lambda real: _findings_with(real, "stats", '{"files": 1, "lines": 1, "seconds": -Infinity, "cache_hits": 0}'),
    "1e999": lambda real: _findings_with(real, "stats", '{"files": 1, "lines": 1, "seconds": 1e999, "cache_hits": 0}'),
    "a lone surrogate": lambda real: _findings_with(real, "root", '"/srv/\\udc80app"'),
    "a key with a newline": lambda real: _findings_with(
        real, "functions", '{"svc.jobs.f\\nsecond line": {"path": 1, "span": [1, 2], "async": true}}'
    ),
    "a megabyte schema": lambda real: json.dumps({"schema": "x" * 1_000_000}),
    "a megabyte bad value": lambda real: _findings_with(real, "offloads", json.dumps([{"api": "y" * 1_000_000}])),
}  # fmt: skip


@pytest.mark.parametrize("case", NASTY)
def test_nasty_inputs_are_one_line_errors(real, case):
    text = NASTY[case](real)
    message = rejected(text, FindingsReport)
    assert message.startswith(("corrupt report: ", "wrong report schema")), message
    rejected(text.encode("utf-8", "surrogatepass"), FindingsReport)


def test_reports_the_tools_write_are_read_back_equal(real):
    for name, model in CONTRACTS.items():
        report = parse_report(raw(real, name), model, name)
        assert parsed_or_rejected(report_json(report), model) == report


# -- valid reports with absurd content --------------------------------------------------------

ODD_TEXT = ["", ".", "/", "/etc/passwd", "../outside.py", "svc.jobs.nap", "src/svc/jobs.py",
            "tests/blocking_io/test_jobs.py::test_render", "a\nb", "\u202e"]  # fmt: skip
ODD_INT = [0, -1, 10**9, 2**63]


@st.composite
def retyped(draw: st.DrawFn, document: Any) -> Any:
    """A real report with a few values changed for others of the same JSON type: it still
    validates, but its paths, lines, names and cross-references no longer agree."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        value = parent[path[-1]]
        if isinstance(value, bool):
            new: Any = draw(st.booleans())
        elif isinstance(value, int):
            new = draw(st.integers(-3, 10**6) | st.sampled_from(ODD_INT))
        elif isinstance(value, float):
            new = draw(st.floats(min_value=0, max_value=1e9))
        elif isinstance(value, str):
            new = draw(st.text(max_size=30) | st.sampled_from(ODD_TEXT))
        elif isinstance(value, list):
            new = draw(st.lists(st.sampled_from(value), max_size=4)) if value else []
        elif isinstance(value, dict):
            keys = draw(st.lists(st.sampled_from(sorted(value)), unique=True)) if value else []
            new = {key: value[key] for key in keys}
        else:
            new = value
        parent[path[-1]] = new
    return document


@pytest.mark.timeout(180)  # before the fix, one absurd span made the join run for ever
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_gap_join_and_every_format_take_any_valid_pair_of_reports(real, data):
    """What `blocking-io gaps` does after reading: join, gaps.json, every output format."""
    findings = data.draw(retyped(json.loads(raw(real, "findings"))))
    anchors = data.draw(retyped(json.loads(raw(real, "anchors"))))
    try:
        findings_report = parse_report(json.dumps(findings), FindingsReport, "findings.json")
        anchors_report = parse_report(json.dumps(anchors), AnchorsReport, "anchors.json")
    except InputError:
        assume(False)
    project = load_config(real / "pyproject.toml")
    inputs = Inputs(
        findings=findings_report,
        anchors=anchors_report,
        findings_path="findings.json",
        anchors_path="anchors.json",
        root=real,
        stale=stale_files(real, findings_report, anchors_report),
    )
    result = build_gaps(inputs, project.registry, config_hash=project.config_hash)
    assert parse_report(report_json(result.report), GapsReport, "gaps.json") == result.report
    for fmt in FORMATS:
        assert render(result, fmt, width=120).endswith("\n")


def test_gaps_on_findings_claiming_a_function_of_10_to_the_18_lines(copy):
    """The join once walked (and stored) every line of a finding's span and of its entry
    point's body: a damaged findings.json with an absurd `end_line` ate all memory."""
    path = copy / ".blocking-io" / "findings.json"
    findings = json.loads(path.read_text("utf-8"))
    finding = findings["findings"][0]
    finding["end_line"] = 10**18
    findings["functions"][finding["entrypoints"][0]]["span"] = [1, 10**18]
    path.write_text(json.dumps(findings), "utf-8")

    done = blocking_io("gaps", "--format", "json", cwd=copy, memory=2 << 30)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"]


# -- the commands that read reports -----------------------------------------------------------


def one_error_line(done: subprocess.CompletedProcess[str], named: str) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"blocking-io: error: {named}: "), line
    return line


DAMAGE = {
    "truncated": lambda real, data: data[: len(data) * 2 // 3],
    "nested too deep": lambda real, data: b'{"schema": "blocking-io/findings/2", "x": '
    + b"[" * 50_000
    + b"]" * 50_000
    + b"}",
    "huge number": lambda real, data: data.replace(b'"line": ', b'"line": ' + b"7" * 5000, 1),
    "lone surrogate": lambda real, data: data.replace(b'"path": "', b'"path": "\\ud800', 1),
    "random bytes": lambda real, data: os.urandom(len(data) // 4),
}  # fmt: skip


def _damage(project: Path, name: str, how: str) -> Path:
    path = project / ".blocking-io" / f"{name}.json"
    path.write_bytes(DAMAGE[how](project, path.read_bytes()))
    return path


@pytest.mark.parametrize("report", ["findings", "anchors"])
@pytest.mark.parametrize("how", DAMAGE)
def test_gaps_on_a_damaged_report_exits_2_and_writes_nothing(copy, report, how):
    damaged = _damage(copy, report, how)
    gaps_json = copy / ".blocking-io" / "gaps.json"
    before = gaps_json.read_bytes()
    done = blocking_io(
        "gaps", "--findings", ".blocking-io/findings.json", "--anchors", ".blocking-io/anchors.json",
        "-o", "out/gaps.md", "--format", "markdown", cwd=copy,
    )  # fmt: skip
    one_error_line(done, f".blocking-io/{report}.json")
    assert gaps_json.read_bytes() == before  # the previous report, whole
    assert not (copy / "out").exists()
    assert damaged.exists()


@pytest.mark.parametrize(
    ("report", "how"),
    [("findings", "nested too deep"), ("anchors", "lone surrogate"), ("findings", "huge number")],
)
def test_teeth_on_a_damaged_report_exits_2_and_writes_nothing(copy, report, how):
    _damage(copy, report, how)
    teeth_json = copy / ".blocking-io" / "teeth.json"
    before = teeth_json.read_bytes()
    done = blocking_io("teeth", "-o", "teeth.txt", cwd=copy)
    one_error_line(done, str(copy / ".blocking-io" / f"{report}.json"))
    assert teeth_json.read_bytes() == before
    assert not (copy / "teeth.txt").exists()


@pytest.mark.parametrize("how", ["truncated", "nested too deep", "huge number", "lone surrogate"])
def test_detect_with_a_damaged_baseline_exits_2_and_writes_no_output(copy, how):
    baseline = copy / "baseline.json"
    baseline.write_bytes(DAMAGE[how](copy, raw(copy, "findings")))
    done = blocking_io("detect", "--baseline", "baseline.json", "-o", "out.txt", cwd=copy)
    one_error_line(done, "baseline.json")
    assert not (copy / "out.txt").exists()
    # the scan itself completed: its own report is whole
    path = copy / ".blocking-io" / "findings.json"
    assert parse_report(path.read_bytes(), FindingsReport, path).findings
