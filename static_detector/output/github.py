"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=app/api.py,line=12,col=5,endLine=12,endColumn=19,title=BIO301 sync-sleep::...

high -> error, medium -> warning, low -> notice. Values are escaped as the Actions toolkit
does: `%`, CR and LF in the message; additionally `:` and `,` in properties. Columns are
1-based and `endColumn` is inclusive (the report's 1-based end is exclusive: one less).
Suppressed findings get no annotation; analysis errors do; the tally closes the output.
"""

from __future__ import annotations

from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import Finding, FindingsReport

from .report_view import active, described, error_key, tally, unused_key

COMMAND = {"high": "error", "medium": "warning", "low": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, str | int], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return (
        f"::{name} {props}::{escape_data(message)}"
        if props
        else f"::{name}::{escape_data(message)}"
    )


def render_github(report: FindingsReport, registry: Registry) -> str:
    lines = [_annotation(finding, registry) for finding in active(report)]
    for error in sorted(report.errors, key=error_key):
        props: dict[str, str | int] = {"file": error.path}
        if error.line is not None:
            props["line"] = error.line
        props["title"] = f"blocking-io {error.kind}"
        lines.append(command("error", props, f"{error.kind}: {error.message}"))
    for unused in sorted(report.unused_suppressions, key=unused_key):
        rules = ", ".join(unused.rules) or "all rules"
        props = {
            "file": unused.path,
            "line": unused.line,
            "title": "blocking-io unused suppression",
        }
        lines.append(command("notice", props, f"unused suppression for {rules} (no finding here)"))
    lines.append(tally(report))
    return "\n".join(lines) + "\n"


def _annotation(finding: Finding, registry: Registry) -> str:
    rule = registry.get(finding.rule)
    props: dict[str, str | int] = {
        "file": finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": max(finding.end_line, finding.line),
        "endColumn": max(finding.end_column - 1, finding.column),
        "title": f"{finding.rule} {rule.name if rule else finding.category}",
    }
    message = described(finding)
    if finding.fix:
        message += f"\nFix: {finding.fix}"
    return command(COMMAND.get(finding.severity, "warning"), props, message)
