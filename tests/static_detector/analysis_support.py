"""Small real projects on disk with the expected findings written inline.

    # expect: BIO102            a finding of that rule must be reported on this line
    # expect: BIO102 suppressed  ... and it must be suppressed
    # listed: BIO105             listed on the finding of the call that made its object
                                 (`fh.write` after `with open(p) as fh`), not reported here
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

EXPECT = re.compile(
    r"#\s*(?P<kind>expect|listed):\s*(?P<rules>[A-Z0-9, ]+?)(?P<sup>\s+suppressed)?\s*(#|$)"
)


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


def expected(root: Path) -> set[tuple[str, int, str, str]]:
    out = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                state = (
                    "listed" if match["kind"] == "listed" else "suppressed" if match["sup"] else ""
                )
                for rule in match.group("rules").split(","):
                    out.add((rel, number, rule.strip(), state))
    return out


def found(report: FindingsReport) -> set[tuple[str, int, str, str]]:
    out = {(f.path, f.line, f.rule, "suppressed" if f.suppressed else "") for f in report.findings}
    for f in report.findings:
        out |= {(f.path, a.line, a.rule, "listed") for a in f.also if a.line is not None}
    return out


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
                f"  missing:    {item[0]}:{item[1]} {item[2]}{f' ({item[3]})' if item[3] else ''}"
            )
        for item in sorted(got - want):
            f = by_key.get(item[:3])
            if f is None:
                lines.append(f"  unexpected: {item[0]}:{item[1]} {item[2]} ({item[3]})")
                continue
            chain = " -> ".join(s.function for s in f.chain)
            lines.append(f"  unexpected: {item[0]}:{item[1]} {item[2]} {f.message} [{chain}]")
        if report.errors:
            lines.append(f"  errors: {report.errors}")
        raise AssertionError("\n".join(lines))
    assert not report.errors, report.errors
    return report
