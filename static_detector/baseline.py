"""Baselines: accept today's findings, fail only on new ones.

A baseline counts findings per fingerprint. Fingerprints carry no line numbers, so moving
code around does not make old findings look new. Counting is a multiset: if the baseline
holds two findings with fingerprint X and the report has three, one of them is new (the
last in source order). Suppressed findings are neither written nor matched: they are
already accounted for where they are.

    {"schema": "blocking-io/baseline/1", "tool": {"name", "version"},
     "findings": [{"fingerprint", "rule", "path", "function", "count"}]}

A findings report (`.blocking-io/findings.json` from an earlier run) is accepted wherever
a baseline is, for "new since that run" comparisons.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Final, Literal

from blocking_io.shared_rules.atomic import write_atomic
from blocking_io.shared_rules.errors import InputError
from blocking_io.shared_rules.reports import (
    FINDINGS_SCHEMA,
    Finding,
    FindingsReport,
    ToolInfo,
    load_json,
    parse_report,
)
from blocking_io.shared_rules.validation import describe_validation_error, short_repr
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .output.report_view import finding_key

BASELINE_SCHEMA: Final = "blocking-io/baseline/1"


class BaselineEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fingerprint: str
    rule: str
    path: str
    function: str
    count: int = Field(ge=1)


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["blocking-io/baseline/1"] = Field(alias="schema")
    tool: ToolInfo
    findings: list[BaselineEntry]

    def counts(self) -> Counter[str]:
        """How many findings of each fingerprint the baseline accepts."""
        counts: Counter[str] = Counter()
        for entry in self.findings:
            counts[entry.fingerprint] += entry.count
        return counts

    @property
    def total(self) -> int:
        return sum(entry.count for entry in self.findings)


def build_baseline(report: FindingsReport) -> Baseline:
    """The baseline that accepts every unsuppressed finding of `report`."""
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(report.findings, key=finding_key):
        if finding.suppressed is None:
            groups.setdefault(finding.fingerprint, []).append(finding)
    entries = [
        BaselineEntry(
            fingerprint=fingerprint,
            rule=found[0].rule,
            path=found[0].path,
            function=found[0].function,
            count=len(found),
        )
        for fingerprint, found in groups.items()
    ]
    entries.sort(key=lambda e: (e.path, e.rule, e.function, e.fingerprint))
    return Baseline(schema=BASELINE_SCHEMA, tool=report.tool, findings=entries)


def baseline_json(baseline: Baseline) -> str:
    data = baseline.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_baseline(report: FindingsReport, path: Path) -> Baseline:
    """Write the baseline for `report` to `path` atomically; returns what was written."""
    baseline = build_baseline(report)
    write_atomic(Path(path), baseline_json(baseline))
    return baseline


def parse_baseline(text: str | bytes, path: str | Path) -> Baseline:
    """A baseline (or a findings report, used as one) from file contents; errors name `path`."""
    data: Any = load_json(
        text, path, "corrupt baseline", undecodable="corrupt baseline: not a UTF-8 JSON file"
    )
    if not isinstance(data, dict) or "schema" not in data:
        raise InputError(
            f"not a blocking-io baseline (no 'schema' key; expected {BASELINE_SCHEMA!r})", path
        )
    if data["schema"] == FINDINGS_SCHEMA:
        return build_baseline(parse_report(text, FindingsReport, path))
    if data["schema"] != BASELINE_SCHEMA:
        raise InputError(
            f"wrong baseline schema {short_repr(data['schema'])} (expected {BASELINE_SCHEMA!r} "
            "or a findings report; write the baseline again)",
            path,
        )
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        detail = describe_validation_error(exc, "baseline", Baseline)
        raise InputError(f"corrupt baseline: {detail}", path) from None


def load_baseline(path: Path) -> Baseline:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("baseline not found", path) from None
    except IsADirectoryError:
        raise InputError("baseline is a directory, expected a JSON file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read baseline: {exc.strerror or exc}", path) from None
    return parse_baseline(raw, path)


def apply_baseline(report: FindingsReport, baseline: Baseline) -> FindingsReport:
    """The report without the findings the baseline accepts: what is new since it.

    Each fingerprint's first `count` unsuppressed findings (in source order) are accepted;
    any beyond that are new. Suppressed findings are kept as they are.
    """
    remaining = baseline.counts()
    accepted: set[int] = set()
    for finding in sorted(report.findings, key=finding_key):
        if finding.suppressed is None and remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            accepted.add(id(finding))
    kept = [f for f in report.findings if id(f) not in accepted]
    return report.model_copy(update={"findings": kept})
