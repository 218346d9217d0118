"""Reading the two reports and checking them against the source they describe.

Both reports record the sha256 of each file they looked at (`files`). A file whose content
changed since a report was made makes that report's line numbers untrustworthy for it, so
the join refuses to classify findings that depend on such a file (`stale`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from blocking_io.shared_rules.errors import InputError
from blocking_io.shared_rules.reports import AnchorsReport, FindingsReport, Report, load_report

FINDINGS_HINT = "run `blocking-io detect` first, or pass --findings"
ANCHORS_HINT = "run the anchors with `pytest --blocking-io-report` first, or pass --anchors"


@dataclass(frozen=True)
class Inputs:
    """The two reports, where they came from, and the project root their paths are under."""

    findings: FindingsReport
    anchors: AnchorsReport
    findings_path: str  # as shown to the user
    anchors_path: str
    root: Path
    stale: dict[str, StaleInfo] = field(default_factory=dict)  # path -> why


@dataclass(frozen=True)
class StaleInfo:
    findings: bool  # changed since findings.json
    anchors: bool  # changed since anchors.json
    deleted: bool

    @property
    def report(self) -> str:
        if self.findings and self.anchors:
            return "both"
        return "findings" if self.findings else "anchors"

    @property
    def reason(self) -> str:
        what = "deleted" if self.deleted else "changed"
        names = {
            "both": "findings.json and anchors.json were",
            "findings": "findings.json was",
            "anchors": "anchors.json was",
        }[self.report]
        return f"{what} since {names} made"


def load_findings(path: Path, shown: str | None = None) -> FindingsReport:
    return _load(path, FindingsReport, FINDINGS_HINT, shown)


def load_anchors(path: Path, shown: str | None = None) -> AnchorsReport:
    return _load(path, AnchorsReport, ANCHORS_HINT, shown)


def _load(path: Path, model: type[Report], hint: str, shown: str | None) -> Report:
    try:
        return load_report(path, model)
    except InputError as exc:
        message = str(exc)
        if shown and exc.path and message.startswith(exc.path):
            message = shown + message[len(exc.path) :]
        if "not found" in message:
            message = f"{message} ({hint})"
        raise InputError(message) from None


def file_sha256(path: Path) -> str | None:
    """The sha256 of the file's bytes; None when it is gone or unreadable."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def stale_files(
    root: Path, findings: FindingsReport, anchors: AnchorsReport
) -> dict[str, StaleInfo]:
    """Files whose current content differs from what either report recorded, sorted by path."""
    current: dict[str, str | None] = {}

    def now(rel: str) -> str | None:
        if rel not in current:
            target = Path(rel) if Path(rel).is_absolute() else root / rel
            current[rel] = file_sha256(target)
        return current[rel]

    changed_findings = {p for p, digest in findings.files.items() if now(p) != digest}
    changed_anchors = {p for p, digest in anchors.files.items() if now(p) != digest}
    return {
        path: StaleInfo(
            findings=path in changed_findings,
            anchors=path in changed_anchors,
            deleted=now(path) is None,
        )
        for path in sorted(changed_findings | changed_anchors)
    }


def load_inputs(
    findings_path: Path,
    anchors_path: Path,
    *,
    root: Path,
    shown_findings: str | None = None,
    shown_anchors: str | None = None,
) -> Inputs:
    """Both reports, validated against their schemas; every problem is one InputError line."""
    findings = load_findings(findings_path, shown_findings)
    anchors = load_anchors(anchors_path, shown_anchors)
    return Inputs(
        findings=findings,
        anchors=anchors,
        findings_path=shown_findings or str(findings_path),
        anchors_path=shown_anchors or str(anchors_path),
        root=root,
        stale=stale_files(root, findings, anchors),
    )
