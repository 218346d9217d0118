"""Every output counts the same way (issue 20, item 6): a finding's column is the same
1-based character column in findings.json, the text output, GitHub annotations and SARIF,
also after non-ASCII text on the line; and which counts include suppressed findings is
what docs/DESIGN.md says."""

from __future__ import annotations

import json
import re

from adoption_support import REPO, cli, write

PROJECT = {
    "pyproject.toml": "[tool.blocking-io]\n",
    "app.py": """
        import time


        async def plain():
            time.sleep(1)


        async def accents():
            s = "été"; time.sleep(2)


        async def quiet():
            time.sleep(3)  # blocking-io: ignore[BIO301] start-up only
    """,
}


def test_the_column_is_one_based_in_every_format(tmp_path):
    write(tmp_path, PROJECT)
    text = cli("detect", cwd=tmp_path)
    assert text.returncode == 1, text.stderr
    report = json.loads((tmp_path / ".blocking-io/findings.json").read_text("utf-8"))
    assert report["schema"] == "blocking-io/findings/2"
    json_places = sorted(
        (f["line"], f["column"], f["end_column"]) for f in report["findings"] if not f["suppressed"]
    )
    # `time.sleep(1)` starts at the 5th character; after `s = "été"; ` at the 16th
    # (characters, not UTF-8 bytes), and `end_column` is exclusive
    assert json_places == [(5, 5, 18), (9, 16, 29)]

    text_places = sorted(
        (int(m[1]), int(m[2]))
        for m in re.finditer(r"^app\.py:(\d+):(\d+): BIO301", text.stdout, re.M)
    )
    assert text_places == [(line, col) for line, col, _ in json_places]

    github = cli("detect", "--format", "github", "--no-report", cwd=tmp_path)
    github_places = sorted(
        (int(m[1]), int(m[2]), int(m[3]))
        for m in re.finditer(r"line=(\d+),col=(\d+),endLine=\d+,endColumn=(\d+)", github.stdout)
    )
    # GitHub's endColumn is inclusive: the last character of the call
    assert github_places == [(line, col, end - 1) for line, col, end in json_places]

    sarif = json.loads(cli("detect", "--format", "sarif", "--no-report", cwd=tmp_path).stdout)
    regions = sorted(
        (r["startLine"], r["startColumn"], r["endColumn"])
        for result in sarif["runs"][0]["results"]
        if "suppressions" not in result
        for r in [result["locations"][0]["physicalLocation"]["region"]]
    )
    assert regions == json_places


def test_suppressed_findings_are_in_the_report_and_out_of_every_count(tmp_path):
    write(tmp_path, PROJECT)
    text = cli("detect", cwd=tmp_path)
    report = json.loads((tmp_path / ".blocking-io/findings.json").read_text("utf-8"))
    assert len(report["findings"]) == 3  # the suppressed one is in the report
    assert sum(1 for f in report["findings"] if f["suppressed"]) == 1
    assert "Found 2 findings (2 high); 1 suppressed." in text.stdout  # and out of the count
    design = (REPO / "docs/DESIGN.md").read_text("utf-8")
    assert "What counts suppressed findings" in design
