"""Small real projects on disk with the expected findings written inline.

    # expect: BIO102            a finding of that rule must be reported on this line
    # expect: BIO102 suppressed  ... and it must be suppressed
    # ok                         nothing may be reported on this line (documents intent)

Lines without `# expect:` must have no finding either: every case checks both directions
(flake8-async's eval files work the same way).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from blocking_io.shared_rules import load_config
from blocking_io.shared_rules.reports import FindingsReport
from blocking_io.static_detector.scan import scan

EXPECT = re.compile(r"#\s*expect:\s*(?P<rules>[A-Z0-9, ]+?)(?P<sup>\s+suppressed)?\s*(#|$)")


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def project(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Write `files` and a pyproject.toml (`config` is the body of [tool.blocking-io])."""
    write(root, files)
    body = textwrap.dedent(config).strip() or "exclude = []"
    if "exclude" not in body:
        body += "\nexclude = []"
    (root / "pyproject.toml").write_text(f"[tool.blocking-io]\n{body}\n", encoding="utf-8")
    return root


def run(root: Path, paths: list[str] | None = None) -> FindingsReport:
    config = load_config(root / "pyproject.toml")
    return scan(
        config, [root / p for p in paths] if paths else None, jobs=1, use_cache=False
    ).report


def expected(root: Path) -> set[tuple[str, int, str, bool]]:
    out = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for rule in match.group("rules").split(","):
                    out.add((rel, number, rule.strip(), bool(match.group("sup"))))
    return out


def found(report: FindingsReport) -> set[tuple[str, int, str, bool]]:
    return {(f.path, f.line, f.rule, f.suppressed is not None) for f in report.findings}


def check(
    root: Path, files: dict[str, str], config: str = "", paths: list[str] | None = None
) -> FindingsReport:
    """Scan and compare with the inline expectations; a readable diff on mismatch."""
    project(root, files, config)
    report = run(root, paths)
    want, got = expected(root), found(report)
    if want != got:
        by_key = {(f.path, f.line, f.rule): f for f in report.findings}
        lines = ["findings differ from the # expect: annotations"]
        for item in sorted(want - got):
            lines.append(
                f"  missing:    {item[0]}:{item[1]} {item[2]}{' (suppressed)' if item[3] else ''}"
            )
        for item in sorted(got - want):
            f = by_key[item[:3]]
            chain = " -> ".join(s.function for s in f.chain)
            lines.append(f"  unexpected: {item[0]}:{item[1]} {item[2]} {f.message} [{chain}]")
        if report.errors:
            lines.append(f"  errors: {report.errors}")
        raise AssertionError("\n".join(lines))
    assert not report.errors, report.errors
    return report
