"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).

What GitHub reads: `tool.driver.rules` with metadata for every rule that has a result
(shortDescription, fullDescription, help text + markdown, `helpUri` to the rule's section of
docs/rules.md, defaultConfiguration.level, properties.tags / precision / security-severity),
`automationDetails.id` (the category that keeps this run apart from other SARIF uploads of
the repository), results with `ruleId` + `ruleIndex`, a plain-text `message.text` with the
Markdown (code spans) in `message.markdown`,
1-based columns, `partialFingerprints` (our line-free fingerprint, so an alert survives
unrelated edits above it) and a `codeFlow` that walks the call chain from the async entry
point to the primitive. Steps inside an installed library are not files of the repository:
their locations are relative to `LIBRARIES` (the environment's site-packages), their
messages name the distribution and version, and they are also the result's
`relatedLocations`. Suppressed findings stay in the log with a `suppressions` entry, so
code scanning shows them as dismissed instead of reopening them; analysis errors are tool
execution notifications.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from blocking_io.shared_rules.models import Rule
from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import (
    ErrorEntry,
    Finding,
    FindingsReport,
    Library,
    UnusedSuppression,
)

from blocking_io import DOCS_URL

from .report_view import described, error_key, finding_key, route, unused_key

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/blocking-io/"
FINGERPRINT_KEY = "blockingIo/v1"
SRCROOT = "%SRCROOT%"
LIBRARIES = "LIBRARIES"  # base of library steps' paths (`site-packages/pkg/mod.py`)

LEVEL = {"high": "error", "medium": "warning", "low": "note"}
PROBLEM_SEVERITY = {"high": "error", "medium": "warning", "low": "recommendation"}
# GitHub's scale: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. A stalled event loop is an
# availability problem; GitHub uses the score only if a project adds the "security" tag.
SECURITY_SEVERITY = {"high": "7.5", "medium": "5.0", "low": "2.0"}
BASE_TAGS = ("asyncio", "blocking-io", "performance", "reliability")
CATEGORY = "blocking-io"
_CODE_SPAN = re.compile(r"`([^`]*)`")


def plain(markdown: str) -> str:
    """The text of one line of our Markdown: code spans without their backticks."""
    return _CODE_SPAN.sub(r"\1", markdown)


def automation_id(subproject: str | None = None) -> str:
    """`blocking-io/` for a project at the repository root; `blocking-io/services/api/` for
    one in a sub-directory, so two blocking-io projects of one repository upload as two
    categories (a trailing slash: a category, no instance id; SARIF 3.17.4)."""
    if not subproject or subproject in (".", "/"):
        return f"{CATEGORY}/"
    return f"{CATEGORY}/{subproject.strip('/')}/"


def render_sarif(
    report: FindingsReport, registry: Registry, *, subproject: str | None = None
) -> str:
    return (
        json.dumps(sarif_log(report, registry, subproject=subproject), indent=2, ensure_ascii=False)
        + "\n"
    )


def rule_help_uri(rule_id: str) -> str:
    return f"{DOCS_URL}rules.md#{rule_id.lower()}"


def sarif_log(
    report: FindingsReport, registry: Registry, *, subproject: str | None = None
) -> dict[str, Any]:
    findings = sorted(report.findings, key=finding_key)
    rule_ids = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    first = {rule_id: next(f for f in findings if f.rule == rule_id) for rule_id in rule_ids}
    from blocking_io.shared_rules import builtin_registry

    documented = {rule.id for rule in builtin_registry().all_rules}  # in docs/rules.md
    descriptors = [
        _descriptor(rule_id, registry.get(rule_id), first[rule_id], rule_id in documented)
        for rule_id in rule_ids
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "automationDetails": {"id": automation_id(subproject)},
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], report.libraries) for f in findings],
    }
    if any(step.path in report.libraries for f in findings for step in f.chain):
        run["originalUriBaseIds"] = {
            LIBRARIES: {
                "description": {
                    "text": "The folders of the scanned environment's sys.path that hold "
                    "installed libraries; a path starts with the folder's name "
                    "(site-packages/...)."
                }
            }
        }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def artifact_uri(path: str) -> str:
    """A relative URI reference for a posix path: spaces and non-ASCII percent-encoded."""
    return quote(path, safe="/")


def _artifact(path: str, in_library: bool = False) -> dict[str, Any]:
    return {"uri": artifact_uri(path), "uriBaseId": LIBRARIES if in_library else SRCROOT}


def _level(severity: str) -> str:
    return LEVEL.get(severity, "warning")


# -- rules ------------------------------------------------------------------------------


def _descriptor(
    rule_id: str, rule: Rule | None, example: Finding, documented: bool
) -> dict[str, Any]:
    if rule is None:  # a rule this registry does not know (report from another config)
        return {
            "id": rule_id,
            "shortDescription": {"text": f"Blocking call ({example.category}) on the event loop"},
            "fullDescription": {"text": plain(example.message)},
            "help": {"text": plain(example.fix), "markdown": example.fix},
            "defaultConfiguration": {"level": _level(example.severity)},
            "properties": {"tags": sorted({*BASE_TAGS, example.category}), "precision": "medium"},
        }
    severity = rule.severity.value
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": plain(rule.title)},
        "fullDescription": {"text": plain(rule.why or rule.title)},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
    }
    if documented:  # a built-in rule: its section of docs/rules.md (project rules have none)
        descriptor["helpUri"] = rule_help_uri(rule.id)
    return descriptor | {
        "defaultConfiguration": {"level": _level(severity)},
        "properties": {
            "tags": sorted({*BASE_TAGS, rule.category}),
            # opt-in rules are the noisy ones: fewer of their results are worth fixing
            "precision": "high" if rule.default else "medium",
            "problem.severity": PROBLEM_SEVERITY[severity],
            "security-severity": SECURITY_SEVERITY[severity],
        },
    }


def _help_text(rule: Rule) -> str:
    """Plain text (no Markdown): what a viewer without Markdown shows."""
    parts = [plain(rule.title) + ".", plain(rule.why), "Fix: " + plain(rule.fix)]
    if rule.example:
        parts.append("Example:\n" + rule.example.strip("\n"))
    if rule.example_fix:
        parts.append("Instead:\n" + rule.example_fix.strip("\n"))
    parts.append(f"Suppress one place with # blocking-io: ignore[{rule.id}] <reason>.")
    return "\n\n".join(p for p in parts if p.strip())


def _help_markdown(rule: Rule) -> str:
    lines = [f"**{rule.title}** (`{rule.id}` {rule.name})", ""]
    if rule.why:
        lines += [rule.why, ""]
    if rule.example:
        lines += ["### Example", "", "```python", rule.example.strip("\n"), "```", ""]
    lines += ["### Use instead", "", rule.fix, ""]
    if rule.example_fix:
        lines += ["```python", rule.example_fix.strip("\n"), "```", ""]
    lines.append(f"Suppress one place with `# blocking-io: ignore[{rule.id}] <reason>`.")
    return "\n".join(lines)


# -- results ----------------------------------------------------------------------------


def _result(
    finding: Finding, rule_index: int, libraries: dict[str, Library] | None = None
) -> dict[str, Any]:
    libraries = libraries or {}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding.severity),
        "message": {"text": plain(described(finding)), "markdown": described(finding)},
        "locations": [
            {
                "physicalLocation": _physical(finding),
                "logicalLocations": [{"fullyQualifiedName": finding.function, "kind": "function"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "codeFlows": [_code_flow(finding, libraries)],
        "properties": {
            "severity": finding.severity,
            "category": finding.category,
            "exposure": finding.exposure,
            "symbol": finding.symbol,
            "entrypoints": sorted(finding.entrypoints),
        },
    }
    related = _library_frames(finding, libraries)
    if related:
        result["relatedLocations"] = related
    if finding.suppressed is not None:
        kind = "inSource" if finding.suppressed.by.lstrip().startswith("#") else "external"
        result["suppressions"] = [
            {"kind": kind, "status": "accepted", "justification": finding.suppressed.reason}
        ]
    return result


def _physical(finding: Finding) -> dict[str, Any]:
    """SARIF regions are 1-based and endColumn is exclusive, as the report's columns are."""
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column}
    end_line = max(finding.end_line, finding.line)
    end_column = finding.end_column
    if end_line > finding.line or end_column > region["startColumn"]:
        region["endLine"] = end_line
        region["endColumn"] = end_column
    physical: dict[str, Any] = {"artifactLocation": _artifact(finding.path), "region": region}
    if finding.code:  # the whole source line: context around the region, not the region
        physical["contextRegion"] = {"startLine": finding.line, "snippet": {"text": finding.code}}
    return physical


def _code_flow(finding: Finding, libraries: dict[str, Library]) -> dict[str, Any]:
    steps = route(finding)
    callees = [step.function for step in steps[1:]] + [finding.symbol]
    locations = [
        _flow_location(
            step.path,
            step.line,
            f"{step.function} calls {callee}{_inside(libraries.get(step.path))}",
            nesting,
            library=libraries.get(step.path),
        )
        for nesting, (step, callee) in enumerate(zip(steps, callees, strict=True))
    ]
    # the primitive itself: in the helper module for transitive findings
    last = finding.chain[-1] if finding.chain else None
    at_primitive = last is not None and last.function == finding.symbol
    path = last.path if at_primitive and last else finding.path
    library = libraries.get(path)
    locations.append(
        _flow_location(
            path,
            last.line if at_primitive and last else finding.line,
            f"{finding.symbol} blocks the event loop{_inside(library)}",
            len(steps),
            column=finding.column if finding.exposure == "direct" else None,
            library=library,
        )
    )
    entry = steps[0].function if steps else finding.function
    return {
        "message": {"text": f"From async entry point {entry} to {finding.symbol}"},
        "threadFlows": [{"locations": locations}],
    }


def _inside(library: Library | None) -> str:
    return f" (inside {library})" if library is not None else ""


def _library_frames(finding: Finding, libraries: dict[str, Library]) -> list[dict[str, Any]]:
    """Every chain step inside an installed library, as a related location."""
    out: list[dict[str, Any]] = []
    for step in finding.chain:
        library = libraries.get(step.path)
        if library is None:
            continue
        out.append(
            {
                "id": len(out) + 1,
                "physicalLocation": {
                    "artifactLocation": _artifact(step.path, in_library=True),
                    "region": {"startLine": step.line},
                },
                "message": {"text": f"{step.function}, inside {library}"},
                "properties": {"library": {"name": library.name, "version": library.version}},
            }
        )
    return out


def _flow_location(
    path: str,
    line: int,
    text: str,
    nesting: int,
    column: int | None = None,
    library: Library | None = None,
) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": line}
    if column is not None:
        region["startColumn"] = column
    artifact = _artifact(path, in_library=library is not None)
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact, "region": region},
        "message": {"text": text},
    }
    if library is not None:
        location["properties"] = {"library": {"name": library.name, "version": library.version}}
    return {"location": location, "nestingLevel": nesting}


# -- invocation -------------------------------------------------------------------------


def _invocation(report: FindingsReport) -> dict[str, Any]:
    notifications = [_error_notification(e) for e in sorted(report.errors, key=error_key)]
    notifications += [
        _unused_notification(u) for u in sorted(report.unused_suppressions, key=unused_key)
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(level: str, kind: str, text: str, path: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return {
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "descriptor": {"id": kind},
    }


def _error_notification(error: ErrorEntry) -> dict[str, Any]:
    return _notification(
        "error", error.kind, f"{error.path}: {error.kind}: {error.message}", error.path, error.line
    )


def _unused_notification(unused: UnusedSuppression) -> dict[str, Any]:
    rules = ", ".join(unused.rules) or "all rules"
    return _notification(
        "warning",
        "unused-suppression",
        f"unused suppression for {rules} (no finding here)",
        unused.path,
        unused.line,
    )
