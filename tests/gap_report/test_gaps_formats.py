"""The output formats on the real reports of the generated project: what a person reads in a
terminal, in a pull-request comment, and in a browser (the page's behaviour is tested in a
real browser in test_gaps_html_browser.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from gap_project import ANCHOR, Project, clean_env, cli


def section(text: str, title: str) -> list[str]:
    """The lines of the block that starts with `title`, up to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    out = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        out.append(line)
    return out


def test_terminal_shows_bars_per_status_modules_gaps_and_suggestions(scenario: Project) -> None:
    done = scenario.gaps("--no-report")
    out = done.stdout

    assert done.returncode == 0
    assert out.startswith(
        "blocking-io gaps: 6 findings (.blocking-io/findings.json) joined with 6 anchors "
        "(.blocking-io/anchors.json)\n"
    )
    bars = {line.split()[0]: line.split()[1] for line in out.splitlines()[2:7]}
    assert bars == {
        "failing": "1",
        "runtime-blind": "1",
        "guarded": "1",
        "entry-anchored": "1",
        "unguarded": "2",
    }
    unguarded_bar = next(line for line in out.splitlines() if line.startswith("unguarded "))
    failing_bar = next(line for line in out.splitlines() if line.startswith("failing "))

    def length(bar: str) -> int:
        return len(re.sub(r"[^█▉▊▋▌▍▎▏]", "", bar))

    assert failing_bar.count("█") > 0
    assert abs(length(unguarded_bar) - 2 * length(failing_bar)) <= 1  # bars to scale
    assert section(out, "By module")[2].split() == ["src/svc/", "1", "1", "1", "1", "2", "6"]
    listed = section(out, "Findings no passing anchor guards")[2:]
    assert [row.split()[:4] for row in listed if not row.startswith(" ")] == [
        ["failing", "medium", "BIO101", "src/svc/handlers.py:12"],
        ["unguarded", "medium", "BIO101", "src/svc/handlers.py:16"],
        ["unguarded", "high", "BIO301", "src/svc/handlers.py:36"],
        ["entry-anchored", "medium", "BIO110", "src/svc/handlers.py:31"],
    ]
    assert "  1. blocking-io anchor new svc.handlers.nap\n" in out
    assert (
        "  2. blocking-io anchor new svc.handlers.cleanup  # already anchored: add a case\n" in out
    )
    assert f"  {ANCHOR}test_double\n" in out  # idle anchors
    failing = out.split("Failing anchors (2): they failed or errored", 1)[1].split("\n\n", 1)[0]
    assert f"  {ANCHOR}test_sneaky" in failing  # failed: failing, never idle
    assert "test_sneaky" not in out.split("Idle anchors", 1)[1]
    assert "src/svc/handlers.py:45 BIO301 time.sleep in sneaky" in out  # unexplained violation
    assert out.splitlines()[-1] == (
        "6 findings: 1 failing, 1 runtime-blind, 1 guarded, 1 entry-anchored, 2 unguarded; 1 suppressed"
    )
    assert "\x1b[" not in out  # no color in a pipe


def test_terminal_color_only_when_asked_for(scenario: Project) -> None:
    env = clean_env()
    del env["NO_COLOR"]
    forced = scenario.run(*cli(), "gaps", "--no-report", env={**env, "FORCE_COLOR": "1"})
    plain = scenario.run(*cli(), "gaps", "--no-report", env=env)  # a pipe: no color

    assert "\x1b[" in forced.stdout
    assert "\x1b[" not in plain.stdout
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout)
    assert [line.rstrip() for line in stripped.splitlines()] == plain.stdout.splitlines()


def test_top_limits_the_suggestions(scenario: Project) -> None:
    out = scenario.gaps("--no-report", "--top", "1").stdout
    assert "Suggested anchors (top 1 of 3)" in out
    assert "blocking-io anchor new svc.handlers.nap" in out
    assert "blocking-io anchor new svc.handlers.cleanup" not in out


def test_markdown_is_a_pr_comment_with_a_summary_and_collapsible_sections(
    scenario: Project,
) -> None:
    done = scenario.gaps("--no-report", "--format", "markdown")
    md = done.stdout

    assert done.returncode == 0
    assert md.startswith("## blocking-io coverage gaps\n")
    rows = re.findall(r"^\| \S+ (\S+) \| (\d+) \|", md, re.M)
    assert rows == [
        ("failing", "1"),
        ("unguarded", "2"),
        ("entry-anchored", "1"),
        ("runtime-blind", "1"),
        ("guarded", "1"),
    ]
    summaries = re.findall(r"<summary><b>(.+?)</b> \((\d+)\)", md)
    assert summaries == [
        ("failing", "1"),
        ("unguarded", "2"),
        ("entry-anchored", "1"),
        ("runtime-blind", "1"),
        ("guarded", "1"),
        ("violations no finding explains", "1"),
        ("failing anchors", "2"),
        ("idle anchors", "1"),
    ]
    assert md.count("<details") == md.count("</details>") == 8
    # GitHub renders Markdown inside <details> only after a blank line
    assert all(md[m.end() : m.end() + 2] == "\n\n" for m in re.finditer(r"</summary>", md))
    assert (
        "| 1 | `svc.handlers.nap` (`src/svc/handlers.py:35`) | 1 | 3 | high | `blocking-io anchor new svc.handlers.nap` |"
        in md
    )
    unguarded = md[
        md.index("<b>unguarded</b>") : md.index("</details>", md.index("<b>unguarded</b>"))
    ]
    assert "`src/svc/handlers.py:36`" in unguarded and "`src/svc/handlers.py:16`" in unguarded
    assert "`src/svc/handlers.py:25`" not in unguarded  # count is guarded


def test_markdown_escapes_table_cells(project: Project) -> None:
    # a test id with a pipe in its parametrization must not break the table row
    project.write(
        "tests/blocking_io/test_pipe.py",
        """\
        import pytest
        from svc import handlers
        from svc.storage import Counter


        @pytest.mark.parametrize("label", ["a|b"])
        async def test_count_again(label):
            assert await handlers.count(Counter()) == 1
        """,
    )
    project.anchors()

    md = project.gaps("--no-report", "--format", "markdown").stdout

    row = next(line for line in md.splitlines() if "handlers.py:25" in line)
    assert "test_count_again[a\\|b]" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # 5 cells


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_self_contained_file(scenario: Project) -> None:
    done = scenario.gaps("--no-report", "--format", "html", "-o", "gaps.html")
    html = (scenario.path / "gaps.html").read_text()
    (scenario.path / "gaps.html").unlink()

    assert done.returncode == 0
    page = Page()
    page.feed(html)
    tags = page.tags
    # nothing loaded from anywhere: no src/href to a file or URL, CSP forbids requests
    assert not [a for _, a in tags if a.get("src")]
    assert all((a.get("href") or "#").startswith("#") for t, a in tags if t in ("a", "link"))
    csp = next(
        a["content"]
        for t, a in tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp
    findings = [a for t, a in tags if t == "details"]
    assert sorted(a["data-status"] or "" for a in findings) == sorted(
        ["failing", "unguarded", "unguarded", "runtime-blind", "guarded", "entry-anchored"]
    )
    segments = [a for t, a in tags if t == "rect"]
    assert {a["data-status"]: a["data-count"] for a in segments} == {
        "failing": "1",
        "unguarded": "2",
        "entry-anchored": "1",
        "runtime-blind": "1",
        "guarded": "1",
    }
    text = "".join(page.text)
    assert "return read_settings(path)" in text  # the finding's code
    assert "svc.storage.read_settings" in text  # its chain
    assert ANCHOR + "test_load_settings" in text  # its anchors
    assert "blocking-io anchor new svc.handlers.nap" in text


def test_html_escapes_what_it_shows(project: Project) -> None:
    project.write(
        "src/svc/evil.py",
        "import time\n\n\nasync def evil():\n    time.sleep(1)  # </pre><script>alert(1)</script>\n",
    )
    done = project.gaps("--no-report", "--refresh", "--format", "html")

    assert done.returncode == 0
    assert "<script>alert(1)</script>" not in done.stdout
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in done.stdout
    assert done.stdout.count("<script>") == 1  # ours


def test_help_documents_the_statuses_and_their_precedence(scenario: Project) -> None:
    top = scenario.run(*cli(), "--help", env=clean_env(COLUMNS="200")).stdout
    assert "gaps" in top
    help_text = " ".join(
        scenario.run(*cli(), "gaps", "--help", env=clean_env(COLUMNS="200")).stdout.split()
    )
    assert (
        "failing (an anchor caught it) > runtime-blind (the gate cannot intercept it) > guarded "
        "(its line ran in a passing anchor) > entry-anchored" in help_text
    )
    assert "[tool.blocking-io]" in help_text
