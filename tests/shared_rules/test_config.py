"""`[tool.blocking-io]`: found by walking up, every mistake is one clear line and exit 2."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from blocking_io.shared_rules import InputError, load_config


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blocking_io", *args],
        cwd=cwd, capture_output=True, text=True, check=False,
    )  # fmt: skip


def _pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    (tmp_path / "m.py").write_text("import time\n\nasync def f():\n    time.sleep(1)\n")
    return path


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '[tool.blocking-io]\nsorce-roots = ["src"]\n',
            "pyproject.toml: [tool.blocking-io].sorce-roots: unknown key; did you mean "
            "'source-roots'?",
        ),
        (
            '[tool.blocking-io]\nreport_dirs = "out"\n',
            "pyproject.toml: [tool.blocking-io].report_dirs: unknown key; did you mean "
            "'report-dir'?",
        ),
        (
            "[tool.blocking-io]\ncolour = true\n",
            "pyproject.toml: [tool.blocking-io].colour: unknown key (expected one of: "
            "anchor-paths,",
        ),
        (
            "[tool.blocking-io]\ninclude = 3\n",
            "pyproject.toml: [tool.blocking-io].include: expected a list, got an integer",
        ),
        (
            '[tool.blocking-io]\nselect = ["BIO999"]\n',
            "pyproject.toml: [tool.blocking-io].select: unknown rule id 'BIO999'",
        ),
        (
            '[tool.blocking-io]\nignore = ["XYZ1"]\n',
            "pyproject.toml: [tool.blocking-io].ignore: unknown rule id 'XYZ1'",
        ),
        (
            '[tool.blocking-io]\nseverity = { BIO102 = "urgent" }\n',
            "pyproject.toml: [tool.blocking-io].severity.BIO102: got 'urgent', expected 'low', 'medium' or 'high'",
        ),
        (
            '[tool.blocking-io]\noffload-functions = ["run_io"]\n',
            "pyproject.toml: [tool.blocking-io].offload-functions: 'run_io' is not a qualified function name",
        ),
        (
            '[tool.blocking-io]\n[[tool.blocking-io.extra-rules]]\nid = "ACME001"\nname = "vault"\n',
            "pyproject.toml: [tool.blocking-io].extra-rules[0].category: required key is missing",
        ),
        (
            textwrap.dedent(
                """\
                [tool.blocking-io]
                [[tool.blocking-io.extra-rules]]
                id = "ACME001"
                name = "vault-read"
                category = "network"
                severity = "high"
                title = "Vault read"
                message = "`{symbol}` reads a secret"
                fix = "use the async client"
                runtime = { mode = "none", reason = "C client" }
                targets = ["hvac Client read"]
                """
            ),
            "pyproject.toml: [tool.blocking-io].extra-rules[0].targets[0].symbol: target 'hvac Client read' is not a fully qualified name",
        ),
        ("[tool.blocking-io\n", "pyproject.toml: invalid TOML:"),
    ],
    ids=[
        "unknown-key-typo",
        "unknown-key-underscores",
        "unknown-key-unlike-any",
        "wrong-type",
        "unknown-select",
        "unknown-ignore",
        "bad-severity",
        "bad-offload",
        "extra-rule-missing-key",
        "extra-rule-bad-target",
        "invalid-toml",
    ],
)
def test_config_errors_are_one_line_naming_file_and_key(tmp_path, body, expected):
    _pyproject(tmp_path, body)
    done = _cli(tmp_path, "detect")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert expected in lines[0], lines[0]
    assert str(tmp_path) in lines[0]  # the full path of the file


def test_unreadable_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.blocking-io]\nx = '\xff\xfe'\n")
    done = _cli(tmp_path, "rules")
    assert done.returncode == 2
    assert "pyproject.toml: not UTF-8" in done.stderr
    missing = _cli(tmp_path, "detect", "--config", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nope.toml'}: config file not found" in missing.stderr


def test_config_is_found_by_walking_up(tmp_path):
    _pyproject(tmp_path, '[tool.blocking-io]\nreport-dir = "out"\nexclude = []\n')
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    config = load_config(cwd=sub)
    assert config.root == tmp_path.resolve()
    assert config.report_dir == tmp_path.resolve() / "out"


def test_extra_rules_select_ignore_and_severity_apply(tmp_path):
    _pyproject(
        tmp_path,
        """\
        [tool.blocking-io]
        exclude = []
        ignore = ["BIO301"]
        severity = { BIO106 = "high" }

        [[tool.blocking-io.extra-rules]]
        id = "ACME001"
        name = "vault-read"
        category = "network"
        severity = "high"
        title = "Synchronous Vault read"
        message = "`{symbol}` reads a secret from Vault synchronously"
        fix = "use the async Vault client"
        runtime = { mode = "none", reason = "hvac is mocked in tests" }
        targets = ["hvac.Client.read"]
        """,
    )
    (tmp_path / "m.py").write_text(
        "import time, os, hvac\nVAULT = hvac.Client()\n\nasync def f():\n"
        "    time.sleep(1)\n    os.path.exists('/x')\n    return VAULT.read('secret/db')\n"
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.registry.get("ACME001") is not None
    assert config.registry.match("time.sleep") is None  # ignored
    assert config.registry.match("os.path.exists").rule.severity.value == "high"
    done = _cli(tmp_path, "detect", "--format", "json", "--no-cache")
    import json

    found = {(f["rule"], f["severity"]) for f in json.loads(done.stdout)["findings"]}
    assert found == {("ACME001", "high"), ("BIO106", "high")}


def test_duplicate_target_in_an_extra_rule_is_rejected(tmp_path):
    _pyproject(
        tmp_path,
        """\
        [tool.blocking-io]
        [[tool.blocking-io.extra-rules]]
        id = "ACME002"
        name = "sleep-again"
        category = "sleep"
        severity = "high"
        title = "t"
        message = "m"
        fix = "f"
        runtime = { mode = "blockbuster", keys = ["time.sleep"] }
        targets = ["time.sleep"]
        """,
    )
    with pytest.raises(InputError, match=r"'time\.sleep' of ACME002 is already covered by BIO301"):
        load_config(tmp_path / "pyproject.toml")


def test_exclude_globs_stay_within_path_segments():
    from blocking_io.shared_rules.config import DEFAULT_EXCLUDE, matches_any

    assert matches_any("app/tests/test_api.py", DEFAULT_EXCLUDE)
    assert matches_any("tests/x.py", DEFAULT_EXCLUDE)
    assert matches_any("app/test_api.py", DEFAULT_EXCLUDE)
    assert matches_any("pkg/.venv/lib/x.py", DEFAULT_EXCLUDE)
    # `*` does not cross `/`: a package named test_data is not a test file
    assert not matches_any("app/test_data/loader.py", DEFAULT_EXCLUDE)
    assert not matches_any("app/contests/entry.py", DEFAULT_EXCLUDE)
