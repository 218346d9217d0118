"""`--format github`: workflow-command annotations, escaped so the runner reads them back."""

from __future__ import annotations

import re

from test_output_render import (
    API,
    EXPORT,
    FILES,
    REGISTRY,
    SLEEP,
    STAT,
    WRITE,
    sample_report,
)

from blocking_io.cli.console.findings import OutputFormat, render

COMMAND_RE = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(value: str) -> str:
    # the runner's order: every %XX it knows, percent last
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Read one workflow command back the way the Actions runner does."""
    match = COMMAND_RE.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = {}
    for pair in (match["props"] or "").split(","):
        key, _, value = pair.partition("=")
        props[key] = unescape(value)
    return match["name"], props, unescape(match["message"])


def annotations(report=None) -> list[tuple[str, dict[str, str], str]]:
    output = render(report or sample_report(), OutputFormat.github, REGISTRY)
    return [parse(line) for line in output.splitlines() if line.startswith("::")]


def by_file_line(report=None) -> dict[tuple[str, str], tuple[str, dict[str, str], str]]:
    return {(p["file"], p.get("line", "")): (n, p, m) for n, p, m in annotations(report)}


def test_one_annotation_per_unsuppressed_finding_with_severity_as_the_command():
    found = by_file_line()
    assert found[(API, "55")][0] == "error"  # high
    assert found[(FILES, "17")][0] == "warning"  # medium
    assert found[(EXPORT, "9")][0] == "notice"  # low
    assert not any(p["file"] == "packages/relay/config.py" for _, p, _ in annotations())
    finding_annotations = [a for a in annotations() if a[1]["title"].startswith("BIO")]
    assert len(finding_annotations) == 6


def test_location_and_title_properties():
    _, props, _ = by_file_line()[(FILES, "17")]
    assert props == {
        "file": FILES,
        "line": "17",
        "col": "5",  # 1-based
        "endLine": "17",
        "endColumn": "33",  # 1-based, inclusive: the last character of the call
        "title": "BIO103 path-write",
    }


def test_message_carries_the_route_and_the_fix_on_a_second_line():
    _, _, message = by_file_line()[(FILES, "17")]
    assert message.split("\n") == [
        f"{WRITE.message} (via relay.gateway.api.create_session -> "
        "relay.gateway.sessions.create -> relay.storage.files.save_blob)",
        f"Fix: {WRITE.fix}",
    ]
    _, _, direct = by_file_line()[(API, "55")]
    assert direct.split("\n")[0] == SLEEP.message


def test_unicode_and_spaces_in_paths_survive():
    _, props, message = by_file_line()[(EXPORT, "9")]
    assert props["file"] == "packages/relay/données utilisateur/export.py"
    assert "export.écrire_résumé" in message


def test_percent_newlines_commas_and_colons_are_escaped_and_read_back_exactly():
    odd_path = "packages/relay/odd,name:v2.py"
    finding = STAT.model_copy(
        update={
            "path": odd_path,
            "message": "100% of calls: `os.stat`\r\non the loop, always",
            "fix": "use a thread: 50%,\nor anyio",
        }
    )
    output = render(sample_report([finding], errors=[], unused=[]), OutputFormat.github, REGISTRY)
    (line,) = [line for line in output.splitlines() if line.startswith("::")]
    assert "file=packages/relay/odd%2Cname%3Av2.py," in line
    assert "\r" not in line
    _, props, message = parse(line)
    assert props["file"] == odd_path
    assert message.startswith("100% of calls: `os.stat`\r\non the loop, always (via ")
    assert message.endswith("\nFix: use a thread: 50%,\nor anyio")


def test_every_annotation_is_one_physical_line():
    output = render(sample_report(), OutputFormat.github, REGISTRY)
    lines = output.splitlines()
    assert all(line.startswith("::") for line in lines[:-1])
    assert lines[-1].startswith("Found 6 findings")


def test_analysis_errors_become_error_annotations():
    found = by_file_line()
    name, props, message = found[("packages/relay/legacy/py2_shim.py", "3")]
    assert name == "error"
    assert props["title"] == "blocking-io syntax-error"
    assert message == "syntax-error: invalid syntax: print 'ready'"
    name, props, _ = found[("packages/relay/assets/notes_latin1.py", "")]
    assert "line" not in props


def test_unused_suppressions_are_notices():
    name, props, message = by_file_line()[("packages/relay/gateway/sessions.py", "88")]
    assert props["title"] == "blocking-io unused suppression"
    assert name == "notice"
    assert "BIO301" in message
