"""The `render` dispatcher, the json format, determinism across formats, color detection.

Also home of `sample_report()`: a realistic FindingsReport of the embedded `relay`
service that the other test_output_* modules render.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random

import pytest
from blocking_io.shared_rules import builtin_registry
from blocking_io.shared_rules.reports import (
    ChainStep,
    ErrorEntry,
    Finding,
    FindingsReport,
    FunctionInfo,
    Stats,
    Suppression,
    ToolInfo,
    UnusedSuppression,
    parse_report,
)

from blocking_io.cli.console.findings import OutputFormat, render
from blocking_io.cli.console.style import use_color

REGISTRY = builtin_registry()
ANSI = "\x1b["

API = "packages/relay/gateway/api.py"
SESSIONS = "packages/relay/gateway/sessions.py"
FILES = "packages/relay/storage/files.py"
HOOKS = "packages/relay/workers/hooks.py"
SCHEDULER = "packages/relay/workers/scheduler.py"
EXPORT = "packages/relay/données utilisateur/export.py"  # a space and non-ASCII
CONFIG = "packages/relay/config.py"


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def make_finding(
    symbol: str,
    path: str,
    line: int,
    column: int,
    function: str,
    chain: list[tuple[str, str, int]],
    *,
    exposure: str = "transitive",
    end_column: int | None = None,
    entrypoints: list[str] | None = None,
    code: str = "",
    suppressed: Suppression | None = None,
    rule_id: str | None = None,
) -> Finding:
    """A finding as the detector makes it: rule, message and fix from the registry.
    `column` and `end_column` are given as ast's 0-based offsets; the report's are 1-based."""
    match = REGISTRY.match(symbol)
    rule = match.rule if match else REGISTRY.get(rule_id or "")
    assert rule is not None, symbol
    steps = [ChainStep(function=f, path=p, line=n) for f, p, n in chain]
    return Finding(
        fingerprint=fingerprint(rule.id, path, function, symbol),
        rule=rule.id,
        severity=rule.severity.value,
        category=rule.category,
        symbol=symbol,
        path=path,
        line=line,
        column=column + 1,
        end_line=line,
        end_column=(end_column if end_column is not None else column + len(symbol) + 2) + 1,
        function=function,
        function_span=(max(1, line - 3), line + 4),
        entrypoints=entrypoints or [steps[0].function],
        exposure=exposure,  # type: ignore[arg-type]
        chain=steps,
        code=code or f"    {symbol}(...)",
        message=rule.render_message(symbol),
        fix=rule.fix,
        suppressed=suppressed,
    )


# The findings, by name, so tests can say which one they look at.
WRITE = make_finding(  # depth 3, two entry points
    "pathlib.Path.write_text",
    FILES,
    17,
    4,
    "relay.storage.files.save_blob",
    [
        ("relay.gateway.api.create_session", API, 20),
        ("relay.gateway.sessions.create", SESSIONS, 42),
        ("relay.storage.files.save_blob", FILES, 17),
    ],
    entrypoints=["relay.gateway.api.create_session", "relay.gateway.api.restore_session"],
    code="    blob_path.write_text(payload)",
    end_column=33,
)
WRITE_AGAIN = WRITE.model_copy(  # same function, same call: same fingerprint, later line
    update={
        "line": 23,
        "end_line": 23,
        "chain": [*WRITE.chain[:2], ChainStep(function=WRITE.function, path=FILES, line=23)],
    }
)
SLEEP = make_finding(  # depth 1, direct
    "time.sleep",
    API,
    55,
    8,
    "relay.gateway.api.retry_upstream",
    [("relay.gateway.api.retry_upstream", API, 55)],
    exposure="direct",
    code="        time.sleep(backoff)",
)
SUBPROCESS = make_finding(
    "subprocess.run",
    API,
    70,
    8,
    "relay.gateway.api.reload_tls",
    [("relay.gateway.api.reload_tls", API, 70)],
    exposure="direct",
)
REQUESTS = make_finding(  # depth 2, a sync callback the loop runs
    "requests.get",
    HOOKS,
    31,
    15,
    "relay.workers.hooks.on_job_done",
    [
        ("relay.workers.scheduler.Scheduler.run", SCHEDULER, 64),
        ("relay.workers.hooks.on_job_done", HOOKS, 31),
    ],
    exposure="loop-callback",
)
STAT = make_finding(  # unicode function name, path with a space
    "os.stat",
    EXPORT,
    9,
    13,
    "export.écrire_résumé",
    [
        ("relay.gateway.api.export_report", API, 88),
        ("export.écrire_résumé", EXPORT, 9),
    ],
    code="    taille = os.stat(chemin).st_size  # «résumé»",
)
READ = make_finding(  # suppressed in source
    "pathlib.Path.read_text",
    CONFIG,
    12,
    11,
    "relay.config.load_settings",
    [("relay.config.load_settings", CONFIG, 12)],
    exposure="direct",
    suppressed=Suppression(
        by="# blocking-io: ignore[BIO102]",
        reason="read once at startup, before the loop serves requests",
    ),
)
ACTIVE = [SLEEP, SUBPROCESS, STAT, WRITE, WRITE_AGAIN, REQUESTS]  # 3 high, 2 medium, 1 low

SYNTAX_ERROR = ErrorEntry(
    path="packages/relay/legacy/py2_shim.py",
    line=3,
    kind="syntax-error",
    message="invalid syntax: print 'ready'",
)
DECODE_ERROR = ErrorEntry(
    path="packages/relay/assets/notes_latin1.py",
    line=None,
    kind="decode-error",
    message="not UTF-8 (byte 0xe9 at offset 120)",
)
UNUSED = UnusedSuppression(path=SESSIONS, line=88, rules=["BIO301"])


def sample_report(
    findings: list[Finding] | None = None,
    *,
    errors: list[ErrorEntry] | None = None,
    unused: list[UnusedSuppression] | None = None,
) -> FindingsReport:
    """The sample, findings deliberately out of order (outputs must sort them)."""
    if findings is None:
        findings = [REQUESTS, WRITE_AGAIN, READ, SLEEP, STAT, WRITE, SUBPROCESS]
    functions = {
        "relay.gateway.api.create_session": FunctionInfo(path=API, span=(18, 30), async_=True),
        "relay.storage.files.save_blob": FunctionInfo(path=FILES, span=(14, 25), async_=False),
    }
    return FindingsReport(
        tool=ToolInfo(version="0.1.0"),
        root=".",
        config_hash="c0ffee00c0ffee00",
        rules_hash=REGISTRY.rules_hash,
        findings=findings,
        functions=functions,
        unused_suppressions=[UNUSED] if unused is None else unused,
        errors=[DECODE_ERROR, SYNTAX_ERROR] if errors is None else errors,
        stats=Stats(files=23, lines=1874, seconds=0.42, cache_hits=0),
    )


def empty_report() -> FindingsReport:
    return sample_report([], errors=[], unused=[])


# -- the dispatcher ----------------------------------------------------------------------


def test_output_format_names_are_the_cli_choices():
    assert [f.value for f in OutputFormat] == [
        "full", "concise", "text", "summary", "json", "sarif", "github"
    ]  # fmt: skip
    assert OutputFormat("sarif") is OutputFormat.sarif


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_is_newline_terminated_and_byte_identical_on_rerun(fmt):
    first = render(sample_report(), fmt, REGISTRY, color=False, width=100)
    second = render(sample_report(), fmt, REGISTRY, color=False, width=100)
    assert first == second
    assert first.endswith("\n") and not first.endswith("\n\n")


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_output_does_not_depend_on_the_order_the_detector_found_things(fmt):
    shuffled = [SUBPROCESS, READ, WRITE, REQUESTS, WRITE_AGAIN, STAT, SLEEP]
    random.Random(7).shuffle(shuffled)
    a = render(sample_report(), fmt, REGISTRY, color=False, width=120)
    b = render(
        sample_report(shuffled, errors=[SYNTAX_ERROR, DECODE_ERROR]),
        fmt,
        REGISTRY,
        color=False,
        width=120,
    )
    assert a == b


def test_render_accepts_the_format_as_a_string():
    assert render(sample_report(), "github", REGISTRY) == render(
        sample_report(), OutputFormat.github, REGISTRY
    )


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError, match="xml"):
        render(sample_report(), "xml", REGISTRY)


# -- json --------------------------------------------------------------------------------


def test_json_round_trips_through_the_findings_contract():
    text = render(sample_report(), OutputFormat.json, REGISTRY)
    parsed = parse_report(text, FindingsReport, "<stdout>")
    assert json.loads(text)["schema"] == "blocking-io/findings/2"
    assert sorted(parsed.findings, key=lambda f: f.fingerprint + str(f.line)) == sorted(
        sample_report().findings, key=lambda f: f.fingerprint + str(f.line)
    )
    assert parsed.errors and parsed.unused_suppressions == [UNUSED]
    assert parsed.functions["relay.gateway.api.create_session"].async_ is True


def test_json_lists_findings_sorted_by_path_line_column_rule():
    parsed = json.loads(render(sample_report(), OutputFormat.json, REGISTRY))
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in parsed["findings"]]
    assert keys == sorted(keys)
    assert "données utilisateur" in render(sample_report(), OutputFormat.json, REGISTRY)


def test_json_and_sarif_and_github_never_carry_color_codes():
    for fmt in (OutputFormat.json, OutputFormat.sarif, OutputFormat.github):
        assert ANSI not in render(sample_report(), fmt, REGISTRY, color=True)


# -- color detection ---------------------------------------------------------------------


def test_color_only_on_a_terminal():
    master, slave = os.openpty()
    try:
        with open(slave, "w", closefd=False) as tty:
            assert use_color(tty, environ={}) is True
            assert use_color(tty, environ={"NO_COLOR": "1"}) is False
            assert use_color(tty, environ={"NO_COLOR": ""}) is True  # empty means unset
            assert use_color(tty, environ={"TERM": "dumb"}) is False
    finally:
        os.close(master)
        os.close(slave)
    assert use_color(io.StringIO(), environ={}) is False
    assert use_color(io.StringIO(), environ={"FORCE_COLOR": "1"}) is True


def test_render_without_a_color_choice_is_plain_when_stdout_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    for fmt in (OutputFormat.text, OutputFormat.summary):
        assert ANSI not in render(sample_report(), fmt, REGISTRY)
    assert ANSI in render(sample_report(), OutputFormat.text, REGISTRY, color=True)
