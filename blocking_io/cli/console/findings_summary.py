"""`--format summary`: what `make detect-blocking-io` prints, counts instead of findings.

Tables by rule, by severity and exposure, by module and the top files, then the tally, the
errors and where the full report is. Narrow tables so an 80-column terminal shows them
unwrapped; the same text in a CI log (no color, 160 columns).
"""

from __future__ import annotations

import io
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from blocking_io.shared_rules.models import Severity
from blocking_io.shared_rules.registry import Registry
from blocking_io.shared_rules.reports import EnvironmentInfo, Finding, FindingsReport
from blocking_io.static_detector.output.report_view import (
    EXPOSURES,
    active,
    error_key,
    max_severity,
    plural,
    tally,
)

from .style import SEVERITY_STYLE, add_column, capture_console, cell, section_table

TOP_FILES = 10
MAX_ERRORS = 5


def render_summary(
    report: FindingsReport,
    registry: Registry,
    *,
    color: bool = False,
    width: int = 160,
    report_path: str | None = None,
) -> str:
    buffer = io.StringIO()
    console = capture_console(buffer, color=color, width=width)
    # free text is not wrapped by us: a terminal wraps it, a CI log keeps it on one line
    console.print(Text(_headline(report), style="bold"), soft_wrap=True)
    if report.stats.environment is not None:
        console.print(Text(_environment_line(report.stats.environment)), soft_wrap=True)
    findings = active(report)
    if findings:
        for block in (
            _by_rule(findings, registry),
            _side_by_side(_by_severity(findings), _by_exposure(findings)),
            _by_module(findings),
            _top_files(findings),
        ):
            console.print()
            console.print(block)
        console.print()
    console.print(Text(tally(report), style="bold"), soft_wrap=True)
    for line in _error_lines(report):
        console.print(Text(line), soft_wrap=True)
    if report_path:
        console.print(Text(f"Report: {report_path}"), soft_wrap=True)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _headline(report: FindingsReport) -> str:
    stats = report.stats
    lines = f"{stats.lines:,} line{'' if stats.lines == 1 else 's'}"
    return (
        f"{report.tool.name} {report.tool.version}: scanned {plural(stats.files, 'file')} "
        f"({lines}) in {stats.seconds:.2f}s"
    )


def _environment_line(env: EnvironmentInfo) -> str:
    """Which environment's libraries were followed, and what following them cost."""
    if env.python is None:
        return f"environment: {env.describe()}"
    line = f"environment: {env.source}, Python {env.version}"
    followed = env.libraries_summarized + env.libraries_cached
    if followed:
        line += f"; {plural(followed, 'library module')} followed"
        if env.libraries_cached:
            line += f" ({env.libraries_cached} from the user cache)"
    # the interpreter's path on a line of its own: a long path never pushes the rest off
    return f"{line}\n  interpreter: {env.python}"


def _table(title: str, *columns: str, numeric: Sequence[str] = ("findings", "files")) -> Table:
    table = section_table(title)
    for column in columns:
        add_column(table, column, "num" if column in numeric else "id")
    return table


def _severity_cell(severity: str) -> Text:
    return Text(severity, style=SEVERITY_STYLE.get(severity, ""))


def _grouped(findings: Iterable[Finding], key: str) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[getattr(finding, key)].append(finding)
    return groups


def _ranked(groups: dict[str, list[Finding]]) -> list[tuple[str, list[Finding]]]:
    """Largest group first; ties by the worse severity, then by name."""
    return sorted(
        groups.items(),
        key=lambda item: (-len(item[1]), -Severity.rank_of(max_severity(item[1])), item[0]),
    )


def _by_rule(findings: list[Finding], registry: Registry) -> Table:
    table = _table("By rule", "rule", "name", "findings", "max severity")
    for rule_id, group in _ranked(_grouped(findings, "rule")):
        rule = registry.get(rule_id)
        table.add_row(
            rule_id,
            rule.name if rule else "?",
            str(len(group)),
            _severity_cell(max_severity(group)),
        )
    return table


def _by_severity(findings: list[Finding]) -> Table:
    table = _table("By severity", "severity", "findings")
    groups = _grouped(findings, "severity")
    for severity in [*Severity.ordered(), *sorted(set(groups) - set(Severity.ordered()))]:
        table.add_row(_severity_cell(severity), str(len(groups.get(severity, []))))
    return table


def _by_exposure(findings: list[Finding]) -> Table:
    table = _table("By exposure", "exposure", "findings")
    groups = _grouped(findings, "exposure")
    for exposure in EXPOSURES:
        table.add_row(exposure, str(len(groups.get(exposure, []))))
    return table


def _side_by_side(*tables: Table) -> RenderableType:
    grid = Table.grid(padding=(0, 4))
    for _ in tables:
        grid.add_column()
    grid.add_row(*tables)
    return grid


def module_of(paths: Iterable[str]) -> dict[str, str]:
    """Each path's module group: the directory one level below what all paths share.

    `packages/relay/gateway/api.py` and `packages/relay/storage/files.py` group as
    `packages/relay/gateway/` and `packages/relay/storage/`; a file directly in the shared
    directory groups under that directory. Works for any layout, no config needed.
    """
    unique = sorted(set(paths))
    dirs = [posixpath.dirname(p).split("/") if posixpath.dirname(p) else [] for p in unique]
    common: list[str] = []
    if dirs:
        for parts in zip(*dirs, strict=False):
            if len(set(parts)) != 1:
                break
            common.append(parts[0])
    groups: dict[str, str] = {}
    for path, path_dirs in zip(unique, dirs, strict=True):
        head = path_dirs[: len(common) + 1]
        groups[path] = "/".join(head) + "/" if head else "./"
    return groups


def _by_module(findings: list[Finding]) -> Table:
    table = _table("By module", "module", "findings", "files", "max severity")
    modules = module_of(f.path for f in findings)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[modules[finding.path]].append(finding)
    for module, group in _ranked(groups):
        files = len({f.path for f in group})
        table.add_row(
            cell(module),
            str(len(group)),
            str(files),
            _severity_cell(max_severity(group)),
        )
    return table


def _top_files(findings: list[Finding]) -> Table:
    files = _ranked(_grouped(findings, "path"))
    title = "Top files" if len(files) <= TOP_FILES else f"Top {TOP_FILES} of {len(files)} files"
    table = _table(title, "file", "findings", "max severity")
    for path, group in files[:TOP_FILES]:
        table.add_row(cell(path), str(len(group)), _severity_cell(max_severity(group)))
    return table


def _error_lines(report: FindingsReport) -> list[str]:
    if not report.errors:
        return []
    errors = sorted(report.errors, key=error_key)
    lines = [f"Errors ({len(errors)}): these files were not fully analysed"]
    for error in errors[:MAX_ERRORS]:
        where = error.path if error.line is None else f"{error.path}:{error.line}"
        lines.append(f"  {where}: {error.kind}: {error.message}")
    if len(errors) > MAX_ERRORS:
        lines.append(f"  ... and {len(errors) - MAX_ERRORS} more (see the report)")
    return lines
