"""The join: every unsuppressed finding gets one status, by this precedence (first wins):

1. failing: an anchor run caught it. A recorded violation of the same rule (or the same
   primitive) at a site on the finding's chain: the finding's own line, or any chain step's
   line (the gate records the innermost frame of the project's code, which for a transitive
   finding is inside the helper). Because a shared helper sits on several chains, a
   violation inside a helper counts only for findings whose loop-side line the violating
   test executed too.
2. runtime-blind: the gate cannot intercept the primitive (its rule target has runtime mode
   `none`), so no anchor can guard it, even one that executes the line.
3. guarded: the finding's line ran under the gate in a passing anchor (the gate would have
   failed that anchor had the primitive blocked there).
4. entry-anchored: the line did not run, but an entry point that reaches it did (any line of
   its body, in any anchor): an anchored entry point with a branch no anchor drives.
5. unguarded: nothing under the gate reached it.

Findings that depend on a file changed since either report was made get no status (stale).
Neither do findings that would be guarded, entry-anchored or unguarded when the anchors
report is incomplete (a pytest-xdist worker crashed and its anchors and violations never
arrived): the missing anchors may have run them, or caught them blocking. Failing and
runtime-blind stand: a recorded violation is real, and blindness is the rule's.
Line granularity: "the line ran" means a line in [line, end_line] of the finding's call ran.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from blocking_io.shared_rules.names import short_name
from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import (
    Anchor,
    Finding,
    FunctionInfo,
    GapFinding,
    GapsReport,
    GapStatus,
    StaleFile,
    ToolInfo,
    Violation,
)

from blocking_io import __version__

from .entries import (
    PRECEDENCE,
    STALE,
    Entry,
    GapResult,
    finding_key,
)
from .inputs import Inputs
from .modules import module_of
from .suggest import failing_anchors, idle_anchors, suggest_anchors


class _Coverage:
    """Which anchors executed which lines, indexed for the questions the join asks."""

    def __init__(self, anchors: Iterable[Anchor]) -> None:
        self.anchors = list(anchors)
        self.lines: dict[str, dict[str, frozenset[int]]] = {
            a.test: {path: frozenset(lines) for path, lines in a.executed.items()}
            for a in self.anchors
        }

    def ran(self, test: str, path: str, lines: range) -> bool | None:
        """Whether `test` executed any of `lines` in `path`; None: the test recorded nothing."""
        executed = self.lines.get(test)
        if not executed:
            return None
        return _overlap(executed.get(path, frozenset()), lines)

    def anchors_running(
        self, path: str, lines: range, *, outcomes: tuple[str, ...] | None = None
    ) -> list[str]:
        out = []
        for anchor in self.anchors:
            if outcomes is not None and anchor.outcome not in outcomes:
                continue
            if _overlap(self.lines[anchor.test].get(path, frozenset()), lines):
                out.append(anchor.test)
        return sorted(set(out))


def _overlap(hit: frozenset[int], lines: range) -> bool:
    """Any of `lines` in `hit`, walking the smaller of the two: a damaged findings.json can
    claim a function of 10**18 lines."""
    if lines.stop - lines.start <= len(hit):
        return any(line in hit for line in lines)
    return any(line in lines for line in hit)


def _own_lines(finding: Finding) -> range:
    """The finding's call, from the first line of its statement (what line coverage
    reports for a multi-line statement) to the call's last line."""
    start = min(finding.statement_line or finding.line, finding.line)
    return range(start, max(finding.end_line, finding.line) + 1)


def body_lines(info: FunctionInfo) -> range:
    """A function's lines after its `def` line: the def line runs when the module is
    imported (possibly during a test); the body runs only when the function is called."""
    start, end = info.span
    return range(start + 1, max(end, start) + 1)


def violation_matches(violation: Violation, finding: Finding, coverage: _Coverage) -> bool:
    if violation.rule != finding.rule and violation.symbol != finding.symbol:
        return False
    site = (violation.path, violation.line)
    if violation.path == finding.path and violation.line in _own_lines(finding):
        return True
    if site not in {(step.path, step.line) for step in finding.chain}:
        return False
    # Inside a helper shared by several chains: this finding's call must have run in that test.
    ran = coverage.ran(violation.test, finding.path, _own_lines(finding))
    return ran is None or ran


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def classify(
    finding: Finding,
    *,
    coverage: _Coverage,
    violations: list[Violation],
    registry: Registry,
    functions: dict[str, FunctionInfo],
) -> tuple[GapStatus, tuple[str, ...], str]:
    caught = [v for v in violations if violation_matches(v, finding, coverage)]
    if caught:
        caught_by = tuple(sorted({v.test for v in caught}))
        first = min(caught, key=lambda v: (v.test, v.path, v.line))
        return (
            "failing",
            caught_by,
            f"{_plural(len(caught_by), 'anchor')} caught {first.symbol} blocking the loop at "
            f"{first.path}:{first.line}",
        )
    lines = _own_lines(finding)
    spec = registry.target_runtime(finding.rule, finding.symbol)
    if spec is not None and spec.mode == "none":
        ran = coverage.anchors_running(finding.path, lines)
        why = f"the gate cannot intercept {finding.symbol} ({spec.reason})"
        if ran:
            why += f"; the line ran in {_plural(len(ran), 'anchor')}, which proves nothing"
        return "runtime-blind", tuple(ran), why
    passing = coverage.anchors_running(finding.path, lines, outcomes=("passed",))
    if passing:
        return (
            "guarded",
            tuple(passing),
            f"the line ran under the gate in {_plural(len(passing), 'passing anchor')}",
        )
    reached: dict[str, list[str]] = {}
    for entry in finding.entrypoints:
        info = functions.get(entry)
        if info is None:
            continue
        ran_it = coverage.anchors_running(info.path, body_lines(info))
        if ran_it:
            reached[entry] = ran_it
    if reached:
        tests = tuple(sorted({t for ts in reached.values() for t in ts}))
        entry = sorted(reached)[0]
        only_failing = coverage.anchors_running(finding.path, lines)
        why = (
            f"the line ran only in failing anchors ({', '.join(only_failing)})"
            if only_failing
            else f"{short_name(entry)} runs under {_plural(len(tests), 'anchor')}, this line "
            "does not: add a case for this branch"
        )
        return "entry-anchored", tests, why
    entries = " or ".join(short_name(e) for e in finding.entrypoints) or short_name(
        finding.function
    )
    return "unguarded", (), f"no anchor runs {entries}"


# statuses that missing anchors cannot change: a recorded violation, a blind rule
_WHATEVER_IS_MISSING = ("failing", "runtime-blind")


def _relevant_paths(finding: Finding, functions: dict[str, FunctionInfo]) -> set[str]:
    paths = {finding.path, *(step.path for step in finding.chain)}
    paths.update(functions[e].path for e in finding.entrypoints if e in functions)
    return paths


def _warnings(inputs: Inputs, registry: Registry, config_hash: str | None) -> list[str]:
    findings, anchors = inputs.findings, inputs.anchors
    out = []
    if anchors.rules_hash and anchors.rules_hash != findings.rules_hash:
        out.append(
            f"the two reports used different rule sets (rules_hash {findings.rules_hash} in "
            f"{inputs.findings_path}, {anchors.rules_hash} in {inputs.anchors_path}); "
            "re-run the side that is out of date"
        )
    if findings.rules_hash != registry.rules_hash:
        out.append(
            f"{inputs.findings_path} was made with other rules than the current configuration "
            f"(rules_hash {findings.rules_hash}, now {registry.rules_hash}); re-run "
            "`blocking-io detect` or pass --refresh"
        )
    if config_hash is not None and findings.config_hash != config_hash:
        out.append(
            f"{inputs.findings_path} was made with another [tool.blocking-io] configuration "
            f"(config_hash {findings.config_hash}, now {config_hash}); re-run "
            "`blocking-io detect` or pass --refresh"
        )
    for missing in anchors.incomplete:
        count = len(missing.tests)
        out.append(
            f"{inputs.anchors_path} is incomplete: {missing.reason}, and the anchors and "
            f"violations of the {count} test{'' if count == 1 else 's'} it ran are missing; "
            "findings they could have guarded are left unclassified (run the anchors again)"
        )
    if not anchors.anchors:
        out.append(
            f"{inputs.anchors_path} holds no anchors: no test ran under the gate (check "
            "anchor-paths in [tool.blocking-io], or mark tests with @pytest.mark.blocking_io_gate)"
        )
    if not findings.files:
        out.append(f"{inputs.findings_path} records no file hashes: staleness not checked")
    unknown = sorted({f.rule for f in findings.findings if registry.get(f.rule) is None})
    if unknown:
        out.append(
            f"rules unknown to the current configuration: {', '.join(unknown)} "
            "(their runtime interception is unknown; treated as intercepted)"
        )
    return out


def build_gaps(inputs: Inputs, registry: Registry, *, config_hash: str | None = None) -> GapResult:
    """Join the two reports into the gaps contract plus what the renderers show."""
    findings_report, anchors_report = inputs.findings, inputs.anchors
    functions = findings_report.functions
    coverage = _Coverage(anchors_report.anchors)
    violations = list(anchors_report.violations)
    active = sorted((f for f in findings_report.findings if f.suppressed is None), key=finding_key)
    modules = module_of(f.path for f in active)

    entries: list[Entry] = []
    stale_by_path: dict[str, list[str]] = defaultdict(list)
    reasons = [m.reason for m in anchors_report.incomplete]
    missing = (
        f"not classified: the anchors report is incomplete ({'; '.join(reasons)}); the "
        "anchors that went missing may have run this line or caught it blocking"
        if reasons
        else ""
    )
    for finding in active:
        stale = sorted(_relevant_paths(finding, functions) & set(inputs.stale))
        if stale:
            for path in stale:
                stale_by_path[path].append(finding.fingerprint)
            entries.append(
                Entry(
                    finding,
                    None,
                    (),
                    f"not classified: {', '.join(stale)} changed since the reports were made",
                    modules[finding.path],
                )
            )
            continue
        status, tests, detail = classify(
            finding,
            coverage=coverage,
            violations=violations,
            registry=registry,
            functions=functions,
        )
        if missing and status not in _WHATEVER_IS_MISSING:
            entries.append(Entry(finding, None, (), missing, modules[finding.path]))
            continue
        entries.append(Entry(finding, status, tests, detail, modules[finding.path]))

    explained = {
        id(v)
        for v in violations
        for e in entries
        if e.status == "failing" and violation_matches(v, e.finding, coverage)
    }
    unmatched = [v for v in violations if id(v) not in explained]

    classified = [e for e in entries if e.status is not None]
    idle = idle_anchors(coverage.anchors, active, functions, body_lines)
    failing = failing_anchors(coverage.anchors)
    suggestions = suggest_anchors(classified, functions)
    summary: dict[str, int] = {"findings": len(entries)}
    for status in PRECEDENCE:
        summary[status] = sum(1 for e in entries if e.status == status)
    summary[STALE] = sum(1 for e in entries if e.status is None)
    summary["suppressed"] = len(findings_report.findings) - len(active)
    summary["anchors"] = len(coverage.anchors)
    summary["idle_anchors"] = len(idle)
    summary["failing_anchors"] = len(failing)
    summary["violations"] = len(violations)
    summary["unmatched_violations"] = len(unmatched)

    warnings = _warnings(inputs, registry, config_hash)
    report = GapsReport(
        schema="blocking-io/gaps/1",
        tool=ToolInfo(version=__version__),
        summary=summary,
        findings=[
            GapFinding(
                fingerprint=e.finding.fingerprint,
                rule=e.finding.rule,
                severity=e.finding.severity,
                path=e.finding.path,
                line=e.finding.line,
                function=e.finding.function,
                entrypoints=list(e.finding.entrypoints),
                status=e.status,
                anchors=list(e.anchors),
            )
            for e in classified
            if e.status is not None
        ],
        suggested_anchors=suggestions,
        idle_anchors=idle,
        failing_anchors=failing,
        stale=[
            StaleFile(
                path=path,
                report=info.report,  # type: ignore[arg-type]
                reason=info.reason,
                findings=stale_by_path.get(path, []),
            )
            for path, info in inputs.stale.items()
        ],
        unmatched_violations=sorted(
            unmatched, key=lambda v: (v.test, v.path, v.line, v.rule, v.symbol)
        ),
        warnings=warnings,
    )
    return GapResult(
        report=report,
        entries=entries,
        findings_path=inputs.findings_path,
        anchors_path=inputs.anchors_path,
        anchors=coverage.anchors,
        warnings=warnings,
        incomplete=reasons,
        libraries=dict(findings_report.libraries),
    )
