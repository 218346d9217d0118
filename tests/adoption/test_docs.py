"""The user guide cannot rot: relative links resolve (files and headings), every
`blocking-io ...` command it shows names a real sub-command and real options, the
configuration reference is the one generated from `Settings`, and its examples load."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
import typer.main
from adoption_support import REPO, write
from blocking_io.shared_rules import load_config
from blocking_io.shared_rules.config import Settings

from blocking_io.cli.app import app
from blocking_io.cli.scaffold import config_docs

DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [REPO / "README.md", *DOCS]
USER_GUIDE = (
    "index.md", "quick-start.md", "configuration.md", "anchors.md", "gap-report.md", "ci.md",
    "comparison.md", "rules.md",
)  # fmt: skip
# docs/benchmarks.md is written by `make bench` (the benchmark work), not by hand
GENERATED_ELSEWHERE = {"docs/benchmarks.md"}

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.M | re.S)
SPAN = re.compile(r"`([^`]+)`")  # may wrap across lines, like in rendered markdown


def rel(path):
    return path.relative_to(REPO).as_posix()


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"<[^>]+>", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    found = {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+)$", text, re.M)}
    found |= set(re.findall(r'<a\s+(?:id|name)="([^"]+)"', text))
    return found


def test_the_user_guide_pages_exist_and_the_index_links_them():
    index = (REPO / "docs/index.md").read_text(encoding="utf-8")
    for page in USER_GUIDE:
        assert (REPO / "docs" / page).is_file(), page
        if page != "index.md":
            assert f"]({page})" in index, page


def test_every_relative_link_resolves():
    broken, pending = [], []
    for page in PAGES:
        text = FENCE.sub("", page.read_text(encoding="utf-8"))
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target):  # https:, mailto:
                continue
            file_part, _, fragment = target.partition("#")
            dest = (page.parent / file_part).resolve() if file_part else page
            where = f"{rel(page)} -> {target}"
            if not dest.exists():
                shown = dest.relative_to(REPO).as_posix() if REPO in dest.parents else str(dest)
                (pending if shown in GENERATED_ELSEWHERE else broken).append(where)
                continue
            if fragment and dest.suffix == ".md" and fragment not in anchors_of(dest):
                broken.append(f"{where} (no such heading)")
    assert not broken, "\n".join(broken)
    if pending:
        pytest.xfail("not generated yet (make bench): " + ", ".join(pending))


def test_the_link_checker_catches_a_broken_link_and_a_missing_heading(tmp_path):
    write(tmp_path, {"a.md": "# Title\n\n## Two words\n", "b.md": "[x](a.md#two-words)\n"})
    assert "two-words" in anchors_of(tmp_path / "a.md")
    assert "missing" not in anchors_of(tmp_path / "a.md")
    assert slug("`source-roots`") == "source-roots"
    assert slug("Does my anchor have teeth?") == "does-my-anchor-have-teeth"
    assert LINK.findall("see [x](gone.md) and ![img](pic.png) and [y](https://e.org)") == [
        "gone.md",
        "https://e.org",
    ]


# -- commands -------------------------------------------------------------------------------


def _commands():
    """click command for each `blocking-io` sub-command path."""
    root = typer.main.get_command(app)
    table = {(): root}

    def walk(group, prefix):  # type: ignore[no-untyped-def]
        for name, command in group.commands.items():
            table[(*prefix, name)] = command
            if hasattr(command, "commands"):
                walk(command, (*prefix, name))

    walk(root, ())
    return table


COMMANDS = _commands()
PLUGIN_OPTIONS = set(
    re.findall(r'"(--blocking-io-[a-z-]+)"', (REPO / "runtime_gate/plugin.py").read_text("utf-8"))
)


def mentions(page) -> list[str]:
    """`blocking-io ...` and `pytest ...` command lines: code spans that are a command, and
    the commands in shell and YAML code blocks (`run:`, `entry:`), not sample output."""
    text = page.read_text(encoding="utf-8")
    candidates = [" ".join(span.split()) for span in SPAN.findall(FENCE.sub("", text))]
    for lang, body in FENCE.findall(text):
        if lang not in ("", "console", "bash", "sh", "shell", "yaml", "yml"):
            continue
        for line in body.splitlines():
            line = re.sub(r"(^|\s)#.*$", "", line).strip()  # comments
            line = re.sub(r"^(-\s+)?(run|entry):\s*", "", line)
            line = line.lstrip("$ ")
            candidates += [part.strip() for part in re.split(r"&&|\|\||;|\|", line)]
    return [c for c in candidates if re.match(r"(blocking-io|pytest)\s", c)]


def check_command(line: str) -> str | None:
    """What is wrong with one command line (None: fine)."""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    if words[0] == "pytest":
        unknown = [w.split("=")[0] for w in words if w.startswith("--blocking-io")]
        unknown = [w for w in unknown if w not in PLUGIN_OPTIONS]
        return f"unknown pytest option {unknown[0]}" if unknown else None
    path: tuple[str, ...] = ()
    rest = words[1:]
    while rest and (*path, rest[0]) in COMMANDS:
        path, rest = (*path, rest[0]), rest[1:]
    if not path:
        if rest and rest[0] in ("--version", "--help", "-h"):
            return None
        return f"unknown sub-command {rest[0] if rest else '(none)'!r}"
    command = COMMANDS[path]
    if hasattr(command, "commands"):
        return f"`blocking-io {' '.join(path)}` needs a sub-command"
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    options |= {"--help", "-h"}
    for word in rest:
        if word.startswith("-") and not re.fullmatch(r"-\d+", word):
            name = word.split("=")[0]
            if name not in options:
                return f"`blocking-io {' '.join(path)}` has no option {name}"
    return None


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_every_command_shown_exists_with_its_options(page):
    problems = []
    for line in mentions(page):
        problem = check_command(line)
        if problem:
            problems.append(f"{line!r}: {problem}")
    assert not problems, "\n".join(problems)


def test_the_command_checker_catches_unknown_commands_and_options():
    assert check_command("blocking-io detect --format sarif -o x.sarif --exit-zero") is None
    assert check_command("blocking-io anchor new pkg.mod.fn --style anyio") is None
    assert check_command("blocking-io detct") == "unknown sub-command 'detct'"
    assert "has no option --colour" in check_command("blocking-io gaps --colour")
    assert "needs a sub-command" in check_command("blocking-io anchor")
    assert check_command("pytest tests/blocking_io --blocking-io-report") is None
    assert check_command("pytest --blocking-io-nope") == "unknown pytest option --blocking-io-nope"
    assert mentions(REPO / "docs/quick-start.md")  # it does find the commands


# -- the configuration reference ----------------------------------------------------------


def test_configuration_reference_is_generated_from_settings():
    text = (REPO / "docs/configuration.md").read_text(encoding="utf-8")
    assert text == config_docs.render(), "docs/configuration.md is out of date: run `make docs`"
    for name, field in Settings.model_fields.items():
        key = field.alias or name
        assert f"### `{key}`" in text
        assert (field.description or "").strip() in text


def test_make_docs_regenerates_it_and_check_mode_reports_drift(tmp_path):
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    docs_target = makefile.split("\ndocs:", 1)[1].split("\n\n", 1)[0]
    assert "blocking_io.cli.scaffold.config_docs --output docs/configuration.md" in docs_target

    current = subprocess.run(
        [sys.executable, "-m", "blocking_io.cli.scaffold.config_docs", "--check", "docs/configuration.md"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert current.returncode == 0, current.stderr
    stale = tmp_path / "configuration.md"
    stale.write_text(config_docs.render().replace("report-dir", "reports-dir"), encoding="utf-8")
    drift = subprocess.run(
        [sys.executable, "-m", "blocking_io.cli.scaffold.config_docs", "--check", str(stale)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert drift.returncode == 1
    assert drift.stderr.strip() == f"{stale}: out of date; run `make docs`"


@pytest.mark.parametrize("key", sorted(config_docs.EXAMPLES))
def test_each_documented_example_is_valid_configuration(tmp_path, key):
    write(tmp_path, {"pyproject.toml": "[tool.blocking-io]\n" + config_docs.EXAMPLES[key] + "\n"})

    project = load_config(tmp_path / "pyproject.toml")

    name = next(n for n, f in Settings.model_fields.items() if (f.alias or n) == key)
    assert getattr(project.settings, name) != Settings.model_fields[name].get_default(
        call_default_factory=True
    )


def test_every_key_has_an_example():
    keys = {f.alias or n for n, f in Settings.model_fields.items()}
    assert set(config_docs.EXAMPLES) == keys
