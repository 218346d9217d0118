"""The anchors contract (`.blocking-io/anchors.json`): collected per process, merged, written.

Each pytest-xdist worker hands its part to the controller through `workeroutput` (plain
JSON types) when it finishes; the controller merges the parts with its own and writes one
report. A worker that dies first (a crash, `os._exit`, the OOM killer) hands over nothing:
the controller lists it, with the gated tests it ran, under `incomplete`. Output is
deterministic: anchors by test id, violations by test/path/line, line lists sorted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blocking_io.shared_rules.reports import (
    Anchor,
    AnchorsReport,
    MissingResults,
    ToolInfo,
    Violation,
    dump_report,
)

from blocking_io import __version__


@dataclass
class Part:
    """What one process saw: anchors, violations, and the sha256 of the files executed."""

    anchors: list[Anchor] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    def add_anchor(self, test: str, outcome: str, executed: dict[str, list[int]]) -> None:
        self.anchors.append(Anchor(test=test, outcome=outcome, executed=executed))

    def hash_files(self, real_paths: dict[str, str]) -> None:
        """`real_paths`: project-relative path -> absolute path of each executed file."""
        for rel, real in real_paths.items():
            if rel not in self.files:
                try:
                    self.files[rel] = hashlib.sha256(Path(real).read_bytes()).hexdigest()
                except OSError:
                    continue  # deleted during the run: no hash rather than a wrong one

    def to_json(self) -> dict[str, Any]:
        return {
            "anchors": [a.model_dump(mode="json") for a in self.anchors],
            "violations": [v.model_dump(mode="json") for v in self.violations],
            "files": dict(self.files),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        return cls(
            anchors=[Anchor.model_validate(a) for a in data.get("anchors", [])],
            violations=[Violation.model_validate(v) for v in data.get("violations", [])],
            files=dict(data.get("files", {})),
        )


def merge(parts: list[Part]) -> Part:
    merged = Part()
    by_test: dict[str, Anchor] = {}
    for part in parts:
        for anchor in part.anchors:
            by_test[anchor.test] = anchor  # a test runs in one process (reruns: last wins)
        merged.violations.extend(part.violations)
        merged.files.update(part.files)
    merged.anchors = [by_test[t] for t in sorted(by_test)]
    merged.violations.sort(key=lambda v: (v.test, v.path, v.line, v.rule, v.symbol))
    merged.files = dict(sorted(merged.files.items()))
    return merged


def write(
    path: Path,
    part: Part,
    *,
    root: Path,
    scanned_modules: tuple[str, ...],
    rules_hash: str,
    reverted: dict[str, list[str]] | None = None,
    incomplete: list[MissingResults] | None = None,
) -> AnchorsReport:
    report = AnchorsReport(
        schema="blocking-io/anchors/2",  # (a literal, for mypy: the field is a Literal)
        tool=ToolInfo(version=__version__),
        root=root.resolve().as_posix(),
        rules_hash=rules_hash,
        scanned_modules=list(scanned_modules),
        files=part.files,
        anchors=part.anchors,
        violations=part.violations,
        reverted={site: sorted(set(tests)) for site, tests in sorted((reverted or {}).items())},
        incomplete=sorted(incomplete or [], key=lambda m: m.worker),
    )
    dump_report(report, path)
    return report
