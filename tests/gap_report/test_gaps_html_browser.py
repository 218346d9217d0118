"""The HTML report in a real headless Chromium: it renders, the script runs without errors,
the status filter works, and a finding's row expands to its code, chain and anchors."""

from __future__ import annotations

from pathlib import Path

import pytest
from gap_browser import Browser, chromium, colors, screenshot
from gap_project import ANCHOR, Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium() is None,
        reason="needs headless chromium (apt-get install -y chromium; .ci/run installs it)",
    ),
]


@pytest.fixture(scope="module")
def page_file(scenario: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "gaps.html"
    done = scenario.gaps("--no-report", "--format", "html", "--output", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_the_page_renders_something(page_file: Path, tmp_path: Path) -> None:
    png = tmp_path / "gaps.png"
    screenshot(page_file, png, tmp_path / "profile", size="900,700")

    counts = colors(png)
    total = sum(counts.values())
    _background, most = counts.most_common(1)[0]
    assert total == 900 * 700
    assert total - most > total // 50  # not blank: text, cards, bars cover over 2%
    # the status colors of the cards and the module chart were painted
    for status, rgb in (
        ("unguarded", (0xEF, 0x6C, 0x00)),
        ("guarded", (0x2E, 0x7D, 0x32)),
        ("failing", (0xC6, 0x28, 0x28)),
    ):
        assert counts[rgb] > 200, status


def test_counts_filter_and_expandable_rows(page_file: Path, tmp_path: Path) -> None:
    with Browser.launch(tmp_path / "profile") as browser:
        page = browser.open(page_file)

        # the script built the filter with a count per status
        buttons = page.evaluate(
            "Array.from(document.querySelectorAll('#filters button'))"
            ".map(b => [b.dataset.status, b.querySelector('.count').textContent])"
        )
        assert buttons == [
            ["all", "6"],
            ["failing", "1"],
            ["unguarded", "2"],
            ["entry-anchored", "1"],
            ["runtime-blind", "1"],
            ["guarded", "1"],
        ]
        assert (
            page.evaluate("document.getElementById('shown').textContent")
            == "Showing 6 of 6 findings"
        )
        cards = page.evaluate(
            "Array.from(document.querySelectorAll('.card'))"
            ".map(c => [c.dataset.status, c.querySelector('.n').textContent])"
        )
        assert dict(cards) == {
            "failing": "1",
            "unguarded": "2",
            "entry-anchored": "1",
            "runtime-blind": "1",
            "guarded": "1",
        }
        # the per-module chart is drawn (a non-empty box, one bar segment per status)
        box = page.evaluate(
            "(() => { const r = document.getElementById('module-chart').getBoundingClientRect();"
            " return [r.width > 300, r.height > 10]; })()"
        )
        assert box == [True, True]
        assert page.evaluate("document.querySelectorAll('#module-chart rect.seg').length") == 5

        visible = "Array.from(document.querySelectorAll('#list .finding')).filter(e => e.offsetParent !== null).map(e => e.dataset.status)"
        page.evaluate("document.querySelector('#filters button[data-status=unguarded]').click()")
        assert page.evaluate(visible) == ["unguarded", "unguarded"]
        assert page.evaluate("document.getElementById('shown').textContent") == (
            "Showing 2 of 6 findings (unguarded)"
        )
        assert (
            page.evaluate(
                "document.querySelector('#filters button[aria-pressed=true]').dataset.status"
            )
            == "unguarded"
        )
        page.evaluate("document.querySelector('#filters button[data-status=all]').click()")
        assert len(page.evaluate(visible)) == 6

        # expand the failing finding: its code, chain and the anchor that caught it show
        row = "document.querySelector('.finding[data-status=failing]')"
        closed = page.evaluate(f"{row}.getBoundingClientRect().height")
        assert page.evaluate(f"{row}.open") is False
        page.evaluate(f"{row}.querySelector('summary').click()")
        assert page.evaluate(f"{row}.open") is True
        assert page.evaluate(f"{row}.getBoundingClientRect().height") > closed + 100
        text = page.evaluate(f"{row}.querySelector('.body').innerText")
        assert "return read_settings(path)" in text
        assert "svc.storage.read_settings" in text
        assert ANCHOR + "test_load_settings" in text

        assert page.errors == []  # no console errors, exceptions or blocked requests


def test_a_suggestion_links_to_its_findings(page_file: Path, tmp_path: Path) -> None:
    with Browser.launch(tmp_path / "profile") as browser:
        page = browser.open(page_file)
        page.evaluate("document.querySelector('#filters button[data-status=guarded]').click()")
        # first suggestion (nap): its finding link opens and shows the row even when filtered out
        page.evaluate("document.querySelector('.suggestions tbody tr .links a').click()")
        page.evaluate("new Promise(r => setTimeout(r, 50))")
        opened = page.evaluate(
            "Array.from(document.querySelectorAll('.finding')).filter(e => e.open && e.offsetParent !== null)"
            ".map(e => e.querySelector('.where').textContent)"
        )
        assert opened == ["src/svc/handlers.py:36"]
        assert page.errors == []


STATUS_ORDER = ["failing", "unguarded", "entry-anchored", "runtime-blind", "guarded"]
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


@pytest.mark.parametrize("width", [420, 1280])
def test_usable_on_a_phone_and_a_desktop(page_file: Path, tmp_path: Path, width: int) -> None:
    with Browser.launch(tmp_path / "profile") as browser:
        page = browser.open(page_file)
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=width, height=900, deviceScaleFactor=1, mobile=width < 600,
        )  # fmt: skip
        page.evaluate("new Promise(r => requestAnimationFrame(() => r(1)))")
        # nothing wider than the screen: no sideways scrolling of the page
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        wider = page.evaluate(
            f"Array.from(document.querySelectorAll('body *')).filter(e => "
            f"e.getBoundingClientRect().right > {width} + 1 && e.offsetParent !== null)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert wider == []
        # the chart scales to the page and keeps its bars; its labels stay legible
        chart = page.evaluate(
            "(() => { const r = document.getElementById('module-chart').getBoundingClientRect();"
            " return [r.width, r.right]; })()"
        )
        assert chart[0] > 300 and chart[1] <= width
        label = page.evaluate(
            "document.querySelector('#module-chart text').getBoundingClientRect().height"
        )
        assert label >= 10  # px: readable text, not a scaled-down drawing
        # each suggestion readable: the command whole on screen, its findings listed
        first = page.evaluate(
            "(() => { const c = document.querySelector('.suggestions tbody tr .cmd');"
            " const r = c.getBoundingClientRect(); return [c.innerText, r.left >= 0, r.right]; })()"
        )
        assert first[0] == "blocking-io anchor new svc.handlers.nap" and first[1]
        assert first[2] <= width
        assert page.errors == []


def test_messages_are_rendered_markdown_not_raw_backticks(page_file: Path, tmp_path: Path) -> None:
    with Browser.launch(tmp_path / "profile") as browser:
        page = browser.open(page_file)
        texts = page.evaluate(
            "Array.from(document.querySelectorAll('.finding .msg, .finding .fix, .finding .detail'))"
            ".map(e => e.textContent)"
        )
        assert texts and not [t for t in texts if "`" in t]
        codes = page.evaluate(
            "Array.from(document.querySelectorAll('.finding .msg code')).map(e => e.textContent)"
        )
        assert "time.sleep" in codes  # `time.sleep` became a code element


def test_findings_are_ordered_by_status_then_severity(page_file: Path, tmp_path: Path) -> None:
    with Browser.launch(tmp_path / "profile") as browser:
        page = browser.open(page_file)
        rows = page.evaluate(
            "Array.from(document.querySelectorAll('#list .finding'))"
            ".map(e => [e.dataset.status, e.dataset.severity])"
        )
        keys = [(STATUS_ORDER.index(status), -SEVERITY_RANK[sev]) for status, sev in rows]
        assert keys == sorted(keys) and len(rows) == 6
        assert rows[0][0] == "failing"


def test_the_findings_of_a_suggestion_read_as_a_list(page_file: Path, tmp_path: Path) -> None:
    with Browser.launch(tmp_path / "profile") as browser:
        page = browser.open(page_file)
        cell = page.evaluate(
            "document.querySelector('.suggestions tbody tr td[data-label=reaches]').innerText"
        )
        # was "1 1": a count and a bare link number; now what each finding is and where
        assert cell.split("\n") == ["1 finding", "BIO301 handlers.py:36 unguarded"]
