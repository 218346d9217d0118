"""docs/ci.md cannot rot: the GitHub Actions workflow it documents is read from the page,
and every `run:` step is executed in order against a small project in a git repository
where a "pull request" adds a blocking call; the files the `uses:` steps upload (SARIF,
report artifacts, the PR comment body) must exist and be what those actions expect."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from adoption_support import REPO, clean_env, cli, write

DOC = REPO / "docs" / "ci.md"
FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.M | re.S)

SERVICE = {
    "src/shop/__init__.py": "",
    "src/shop/api.py": """
        from .files import load


        async def ping() -> str:
            return "pong"


        async def report(path) -> str:
            return load(path)
    """,
    "src/shop/files.py": """
        def load(path):
            return str(path)
    """,
}
# the pull request: a helper starts reading the file, which report() runs on the loop
PR_FILES = {
    "src/shop/files.py": """
        from pathlib import Path


        def load(path):
            return Path(path).read_text()
    """
}

# run steps not run here, and why: installing (this environment is the installed one) and
# talking to GitHub (checked by its input file instead)
NOT_RUN = {"pip install": "install", "gh pr comment": "github"}
# exit codes the steps must have on this project; everything else must exit 0
EXPECTED_EXIT = {"--changed-since": 1}


def workflow() -> dict:
    blocks = [body for lang, body in FENCE.findall(DOC.read_text("utf-8")) if lang == "yaml"]
    flows = [b for b in blocks if b.startswith("# .github/workflows/")]
    assert len(flows) == 1, "docs/ci.md documents exactly one workflow"
    return yaml.safe_load(flows[0])


def git(root, *args):
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", *args],
        cwd=root, check=True, capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture
def pull_request(tmp_path):
    """A project on `main` (set up with `blocking-io init`), and a checked-out branch one
    commit ahead that adds blocking IO: what actions/checkout gives a pull_request job."""
    root = tmp_path / "shop"
    write(root, SERVICE)
    assert cli("init", cwd=root).returncode == 0
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "service")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, PR_FILES)
    git(root, "commit", "-q", "-am", "read the file")
    return root


def run_step(root, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", command],
        cwd=root, capture_output=True, text=True, timeout=600, check=False,
        env=clean_env(GITHUB_BASE_REF="main", GITHUB_EVENT_NAME="pull_request", CI="true"),
    )  # fmt: skip


def check_upload(root, step: dict) -> None:
    uses, given = step["uses"], step.get("with", {})
    if uses.startswith("github/codeql-action/upload-sarif"):
        sarif = json.loads((root / given["sarif_file"]).read_text("utf-8"))
        assert sarif["version"] == "2.1.0"
        results = sarif["runs"][0]["results"]
        assert {r["ruleId"] for r in results} == {"BIO102"}
        assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
            "src/shop/api.py"
        )
    elif uses.startswith("actions/upload-artifact"):
        assert (root / given["path"]).is_file(), given["path"]
    elif uses.startswith("actions/download-artifact"):
        assert (root / given["path"]).is_dir()
    else:
        assert uses.startswith(("actions/checkout", "actions/setup-python")), uses


def test_the_documented_workflows_run_on_a_pull_request(pull_request):
    flow = workflow()
    jobs = flow["jobs"]
    assert set(jobs) == {"detect", "anchors", "gaps"}
    assert jobs["detect"]["permissions"]["security-events"] == "write"
    assert jobs["gaps"]["permissions"]["pull-requests"] == "write"
    assert set(jobs["gaps"]["needs"]) == {"detect", "anchors"}

    executed = []
    for name in ("detect", "anchors", "gaps"):  # the order `needs` imposes
        for step in jobs[name]["steps"]:
            if "uses" in step:
                check_upload(pull_request, step)
                continue
            command = step["run"].strip()
            skipped = next(
                (why for prefix, why in NOT_RUN.items() if command.startswith(prefix)), None
            )
            if skipped == "install":
                assert "blocking-io" in command
                continue
            if skipped == "github":
                body_file = re.search(r"--body-file\s+(\S+)", command).group(1)
                body = (pull_request / body_file).read_text("utf-8")
                assert body.startswith("## blocking-io coverage gaps")
                assert "`blocking-io anchor new shop.api.report`" in body
                continue
            assert "${{" not in command, command
            done = run_step(pull_request, command)
            want = next((code for key, code in EXPECTED_EXIT.items() if key in command), 0)
            assert done.returncode == want, (command, done.stdout, done.stderr)
            executed.append((command, done))

    commands = [c for c, _ in executed]
    assert any(c.startswith("blocking-io detect --format sarif") for c in commands)
    assert any(c.startswith("pytest ") and "--blocking-io-report" in c for c in commands)
    assert any(c.startswith("blocking-io gaps --format markdown") for c in commands)
    changed = next(d for c, d in executed if "--changed-since" in c)
    # the finding the PR introduced, as a GitHub annotation on the handler that reaches it
    assert "::warning file=src/shop/api.py,line=9," in changed.stdout  # medium: a warning
    anchors = json.loads((pull_request / ".blocking-io/anchors.json").read_text("utf-8"))
    assert [a["outcome"] for a in anchors["anchors"]] == ["passed"]

    # "Other CI systems": the same commands in one job
    for path in ("gaps.md", "blocking-io.sarif", ".blocking-io/anchors.json"):
        (pull_request / path).unlink()
    text = DOC.read_text("utf-8").split("## Other CI systems", 1)[1]
    block = next(body for lang, body in FENCE.findall(text) if lang == "console")
    for command in block.strip().splitlines():
        done = run_step(pull_request, command)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert (pull_request / "gaps.md").read_text("utf-8").startswith("## blocking-io coverage gaps")
    assert (pull_request / "blocking-io.sarif").is_file()
    assert (pull_request / ".blocking-io/anchors.json").is_file()


def test_the_pre_commit_snippet_names_a_hook_the_repository_defines():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    ids = {hook["id"] for hook in hooks}
    snippet = next(
        body
        for lang, body in FENCE.findall(DOC.read_text("utf-8"))
        if lang == "yaml" and body.startswith("repos:")
    )
    config = yaml.safe_load(snippet)
    assert {h["id"] for repo in config["repos"] for h in repo["hooks"]} <= ids
    for hook in hooks:
        assert hook["entry"].split()[:2] == ["blocking-io", "detect"]
        assert f"`{hook['entry']}`" in DOC.read_text("utf-8") or hook["id"] != "blocking-io"
