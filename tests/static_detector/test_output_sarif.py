"""`--format sarif`: valid SARIF 2.1.0 that GitHub code scanning can ingest.

The schema is the official OASIS one (errata 01, `sarif-schema-2.1.0.json` from
oasis-tcs/sarif-spec), vendored in static_detector/data/.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from blocking_io.static_detector.output.sarif import automation_id, plain, rule_help_uri
from test_output_render import (
    API,
    EXPORT,
    FILES,
    READ,
    REGISTRY,
    SESSIONS,
    SLEEP,
    STAT,
    WRITE,
    empty_report,
    sample_report,
)

from blocking_io import DOCS_URL
from blocking_io.cli.console.findings import OutputFormat, render

REPO = Path(__file__).resolve().parents[2]

SCHEMA = json.loads(
    (resources.files("blocking_io.static_detector") / "data" / "sarif-schema-2.1.0.json").read_text(
        "utf-8"
    )
)


def sarif(report=None) -> dict:
    return json.loads(render(report or sample_report(), OutputFormat.sarif, REGISTRY))


def validate(log: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)


def results_by_line(log: dict) -> dict[tuple[str, int], dict]:
    out = {}
    for result in log["runs"][0]["results"]:
        loc = result["locations"][0]["physicalLocation"]
        out[(unquote(loc["artifactLocation"]["uri"]), loc["region"]["startLine"])] = result
    return out


def test_the_vendored_schema_is_the_official_sarif_2_1_0_schema():
    assert SCHEMA["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


@pytest.mark.parametrize("report", [sample_report(), empty_report()], ids=["sample", "empty"])
def test_output_is_valid_sarif_2_1_0(report):
    validate(sarif(report))


def test_the_schema_check_catches_a_broken_log():
    log = sarif()
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError, match="message"):
        validate(log)


def test_driver_names_the_tool_and_describes_only_the_rules_that_have_results():
    driver = sarif()["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("blocking-io", "0.1.0")
    assert driver["informationUri"].startswith("https://")
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["BIO102", "BIO103", "BIO106", "BIO201", "BIO301", "BIO406"]


def test_rule_metadata_comes_from_the_registry():
    rules = {r["id"]: r for r in sarif()["runs"][0]["tool"]["driver"]["rules"]}
    rule = REGISTRY.get("BIO103")
    meta = rules["BIO103"]
    assert meta["name"] == "path-write"
    assert meta["shortDescription"]["text"] == plain(rule.title)
    assert meta["fullDescription"]["text"] == plain(rule.why)  # plain text: no code spans
    assert plain(rule.fix) in meta["help"]["text"] and rule.fix in meta["help"]["markdown"]
    assert "`" not in meta["help"]["text"].split("Example:")[0]  # plain text, no Markdown
    # the rule's own section of docs/rules.md, where that page has an anchor per rule
    assert meta["helpUri"] == f"{DOCS_URL}rules.md#bio103"
    assert rule.example.strip() in meta["help"]["markdown"]
    assert "```python" in meta["help"]["markdown"]
    assert meta["defaultConfiguration"]["level"] == "warning"
    assert "file-write" in meta["properties"]["tags"]
    assert meta["properties"]["precision"] in {"very-high", "high", "medium", "low"}
    assert rules["BIO301"]["defaultConfiguration"]["level"] == "error"
    assert rules["BIO106"]["defaultConfiguration"]["level"] == "note"
    severities = {rid: float(r["properties"]["security-severity"]) for rid, r in rules.items()}
    assert severities["BIO301"] > severities["BIO103"] > severities["BIO106"] > 0


def test_every_result_points_at_its_rule_by_id_and_index():
    run = sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == 7  # suppressed ones too, marked as such
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_the_finding_severity():
    by_line = results_by_line(sarif())
    assert by_line[(SLEEP.path, 55)]["level"] == "error"
    assert by_line[(FILES, 17)]["level"] == "warning"
    assert by_line[(EXPORT, 9)]["level"] == "note"


def test_columns_are_one_based_and_the_end_column_is_exclusive():
    region = results_by_line(sarif())[(FILES, 17)]["locations"][0]["physicalLocation"]["region"]
    # report: 0-based col_offset 4 .. end_col_offset 33 -> SARIF 5 .. 34
    assert region == {"startLine": 17, "startColumn": 5, "endLine": 17, "endColumn": 34}
    assert (WRITE.column, WRITE.end_column) == (5, 34)


def test_uris_are_relative_to_the_source_root_and_percent_encoded():
    location = results_by_line(sarif())[(EXPORT, 9)]["locations"][0]["physicalLocation"]
    artifact = location["artifactLocation"]
    assert artifact == {
        "uri": "packages/relay/donn%C3%A9es%20utilisateur/export.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["contextRegion"]["snippet"]["text"] == STAT.code


def test_partial_fingerprints_carry_the_line_free_fingerprint():
    for result in sarif()["runs"][0]["results"]:
        assert list(result["partialFingerprints"]) == ["blockingIo/v1"]
    assert results_by_line(sarif())[(FILES, 17)]["partialFingerprints"]["blockingIo/v1"] == (
        WRITE.fingerprint
    )


def test_code_flow_walks_the_chain_from_the_entry_point_to_the_primitive():
    result = results_by_line(sarif())[(FILES, 17)]
    (flow,) = result["codeFlows"]
    steps = [
        (
            unquote(step["location"]["physicalLocation"]["artifactLocation"]["uri"]),
            step["location"]["physicalLocation"]["region"]["startLine"],
            step["location"]["message"]["text"],
            step["nestingLevel"],
        )
        for step in flow["threadFlows"][0]["locations"]
    ]
    assert steps == [
        (API, 20, "relay.gateway.api.create_session calls relay.gateway.sessions.create", 0),
        (SESSIONS, 42, "relay.gateway.sessions.create calls relay.storage.files.save_blob", 1),
        (FILES, 17, "relay.storage.files.save_blob calls pathlib.Path.write_text", 2),
        (FILES, 17, "pathlib.Path.write_text blocks the event loop", 3),
    ]
    assert "relay.gateway.api.create_session" in flow["message"]["text"]


def test_the_message_names_the_route_for_findings_reached_through_other_functions():
    by_line = results_by_line(sarif())
    # message.text is plain text; the same words with code spans are message.markdown
    assert by_line[(SLEEP.path, 55)]["message"] == {
        "text": SLEEP.message.replace("`", ""),
        "markdown": SLEEP.message,
    }
    assert "`time.sleep`" in SLEEP.message
    assert by_line[(EXPORT, 9)]["message"]["markdown"] == (
        f"{STAT.message} (via relay.gateway.api.export_report -> export.écrire_résumé)"
    )
    assert "`" not in by_line[(EXPORT, 9)]["message"]["text"]


def test_suppressed_findings_are_kept_with_an_in_source_suppression_and_its_reason():
    result = results_by_line(sarif())[(READ.path, 12)]
    assert result["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "read once at startup, before the loop serves requests",
        }
    ]
    others = [r for r in sarif()["runs"][0]["results"] if r is not result]
    assert all("suppressions" not in r for r in others if r["ruleId"] != "BIO102")


def test_analysis_errors_are_tool_execution_notifications():
    (invocation,) = sarif()["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    assert [n["descriptor"]["id"] for n in errors] == ["decode-error", "syntax-error"]
    syntax = errors[1]
    assert syntax["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "packages/relay/legacy/py2_shim.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3},
    }
    assert "invalid syntax" in syntax["message"]["text"]
    (unused,) = [n for n in notes if n["level"] == "warning"]
    assert unused["descriptor"]["id"] == "unused-suppression"


def test_a_rule_unknown_to_the_registry_still_gets_a_valid_descriptor():
    stranger = SLEEP.model_copy(update={"rule": "ACME901", "fingerprint": "0" * 16})
    log = sarif(sample_report([stranger, WRITE], errors=[], unused=[]))
    validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ACME901", "BIO103"]
    assert rules[0]["shortDescription"]["text"] and rules[0]["help"]["markdown"] == SLEEP.fix
    assert rules[0]["help"]["text"] == SLEEP.fix.replace("`", "")
    assert "helpUri" not in rules[0]  # a project rule has no section in docs/rules.md
    assert rules[1]["helpUri"].endswith("/rules.md#bio103")


def test_automation_details_name_the_category_of_this_project_in_its_repository():
    assert sarif()["runs"][0]["automationDetails"] == {"id": "blocking-io/"}
    assert automation_id("services/api") == "blocking-io/services/api/"


def test_every_help_uri_points_at_an_anchor_of_docs_rules_md():
    text = (REPO / "docs/rules.md").read_text("utf-8")
    for rule in REGISTRY.all_rules:
        uri = rule_help_uri(rule.id)
        assert uri.startswith(DOCS_URL)
        anchor = uri.split("#", 1)[1]
        assert f'<a id="{anchor}"></a>' in text, rule.id


def test_non_ascii_text_is_written_as_utf8_not_escaped():
    text = render(sample_report(), OutputFormat.sarif, REGISTRY)
    assert "export.écrire_résumé" in text


def test_a_real_run_in_a_sub_project_is_valid_and_has_its_own_category(tmp_path):
    import subprocess
    import sys

    project = tmp_path / "services" / "api"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.blocking-io]\n", "utf-8")
    (project / "app.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n", "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "blocking-io"), "detect", "--format", "sarif"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    log = json.loads(done.stdout)
    validate(log)
    run = log["runs"][0]
    assert run["automationDetails"] == {"id": "blocking-io/services/api/"}
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule["helpUri"] == f"{DOCS_URL}rules.md#bio301"
    (result,) = run["results"]
    assert result["message"]["text"].startswith("time.sleep sleeps synchronously")
    assert result["message"]["markdown"].startswith("`time.sleep` sleeps synchronously")
