"""`# noqa` comments of ruff and flake8-async (issue 20, item 5): each ASYNC2xx code
suppresses the blocking-io rules of shared_rules/data/noqa.toml on its line, `# noqa: BIO301`
names our rule, a bare `# noqa` or another tool's code does not suppress; the table is
validated and documented (docs/rules.md, generated)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from blocking_io.shared_rules import InputError, builtin_registry
from blocking_io.shared_rules.noqa import builtin_aliases, parse_aliases

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# one call per code that ruff / flake8-async report with it (their own test cases)
CALLS = {
    "ASYNC210": ("import requests", "requests.get(url)"),
    "ASYNC211": ("import urllib3", "urllib3.PoolManager().request('GET', url)"),
    "ASYNC212": ("import httpx", "httpx.Client().get(url)"),
    "ASYNC220": ("import subprocess", "subprocess.Popen(['ls'])"),
    "ASYNC221": ("import subprocess", "subprocess.run(['ls'])"),
    "ASYNC222": ("import os", "os.waitpid(1, 0)"),
    "ASYNC230": ("", "open(url)"),
    "ASYNC231": ("import os", "os.fdopen(3)"),
    "ASYNC232": ("import io", "io.TextIOWrapper(io.BytesIO()).read()"),
    "ASYNC240": ("import os.path", "os.path.exists(url)"),
    "ASYNC250": ("", "input()"),
    "ASYNC251": ("import time", "time.sleep(1)"),
}


def detect(root: Path, source: str) -> dict:
    (root / "pyproject.toml").write_text("[tool.blocking-io]\n", "utf-8")
    (root / "app.py").write_text(textwrap.dedent(source).lstrip("\n"), "utf-8")
    done = subprocess.run(
        [str(BIN / "blocking-io"), "detect", "--format", "json", "--no-report", "--no-cache"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def by_line(report: dict) -> dict[int, tuple[str, str | None]]:
    return {f["line"]: (f["rule"], (f["suppressed"] or {}).get("by")) for f in report["findings"]}


def test_every_code_of_the_table_has_a_case_here():
    assert set(CALLS) == set(builtin_aliases())


def test_each_async2xx_code_suppresses_its_rules_and_only_on_its_line(tmp_path):
    lines = ["url = 'x'", ""]
    imports = sorted({imp for imp, _ in CALLS.values() if imp})
    for code, (_, call) in CALLS.items():
        lines += [
            f"async def noqa_{code.lower()}():",
            f"    {call}  # noqa: {code}",
            f"async def plain_{code.lower()}():",
            f"    {call}",
        ]
    report = detect(tmp_path, "\n".join([*imports, *lines]) + "\n")
    found = by_line(report)
    first = len(imports) + 4  # line of the first call (after `url = ...` and a blank line)
    for index, code in enumerate(CALLS):
        suppressed_line, plain_line = first + 4 * index, first + 4 * index + 2
        rule, by = found[suppressed_line]
        assert rule in builtin_aliases()[code].rules, (code, rule)
        assert by == f"# noqa: {code} at app.py:{suppressed_line}", code
        plain_rule, plain_by = found[plain_line]
        assert plain_rule == rule and plain_by is None, code  # the same call, reported
    assert report["unused_suppressions"] == []


def test_our_own_ids_bare_noqa_and_other_codes(tmp_path):
    report = detect(
        tmp_path,
        """
        import time


        def helper():
            time.sleep(1)  # noqa: ASYNC251


        async def named():
            time.sleep(1)  # noqa: BIO301


        async def bare():
            time.sleep(1)  # noqa


        async def other_tools():
            time.sleep(1)  # noqa: E501, B008


        async def wrong_rule():
            time.sleep(1)  # noqa: ASYNC230


        async def in_a_string():
            print("# noqa: ASYNC251"); time.sleep(1)


        async def through_the_helper():
            helper()


        async def nothing_here():
            return 1  # noqa: BIO101, ASYNC251
        """,
    )
    found = by_line(report)
    assert found[9] == ("BIO301", "# noqa: BIO301 at app.py:9")
    assert found[13] == ("BIO301", None)  # bare noqa: not ours
    assert found[17] == ("BIO301", None)  # other tools' codes
    assert found[21] == ("BIO301", None)  # a code for another rule
    assert found[25] == ("BIO301", None)  # text in a string is no comment
    # the noqa on the helper's line covers the chain through it, as ignore[...] does
    assert found[29] == ("BIO301", "# noqa: ASYNC251 at app.py:5")
    # an unused noqa is reported for our code only: ruff may use ASYNC251 there
    assert report["unused_suppressions"] == [{"path": "app.py", "line": 33, "rules": ["BIO101"]}]


def test_the_table_is_validated(tmp_path):
    known = [rule.id for rule in builtin_registry().all_rules]
    table = tmp_path / "noqa.toml"
    cases = {
        "ASYNC9": ({"ASYNC9": {"title": "x", "rules": ["BIO301"]}}, "[ASYNC9]: not a"),
        "unknown rule": (
            {"ASYNC251": {"title": "sleep", "rules": ["BIO999"]}},
            "[ASYNC251].rules: unknown rule id 'BIO999'",
        ),
        "no rules": ({"ASYNC251": {"title": "sleep", "rules": []}}, "[ASYNC251].rules"),
        "typo": (
            {"ASYNC251": {"title": "sleep", "rule": ["BIO301"]}},
            "[ASYNC251].rules: required key is missing",
        ),
    }
    for name, (data, message) in cases.items():
        with pytest.raises(InputError) as caught:
            parse_aliases(data, table, known)
        assert message in str(caught.value), name
        assert str(table) in str(caught.value), name
    assert builtin_aliases()["ASYNC251"].rules == ("BIO301",)


def test_the_mapping_is_documented_in_the_generated_rules_page():
    text = (REPO / "docs/rules.md").read_text("utf-8")
    section = text.split("## `# noqa` codes of ruff and flake8-async", 1)[1]
    for code, alias in builtin_aliases().items():
        row = next(line for line in section.splitlines() if line.startswith(f"| `{code}` |"))
        for rule in alias.rules:
            assert f"[{rule}](#{rule.lower()})" in row
    assert "`# noqa: ASYNC251`" in text.split('<a id="bio301"></a>', 1)[1].split("<a id=", 1)[0]
