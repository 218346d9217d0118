"""The bench's tables, built once as data and rendered to the console (rich) and to
docs/benchmarks.md (markdown)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table as RichTable

from .accuracy import ToolScore
from .dependencies import DepRun
from .features import ANALYSIS, PEER_EVAL, family_rule
from .measure import median
from .runtime import Mode
from .scale import ScaleRun
from .speed import REPEAT_LIMIT, TOOLS, TargetSpeed
from .teeth import TeethRun

NA = "-"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()  # column indexes aligned right

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "notes": self.notes,
        }


def pct(value: float | None) -> str:
    return NA if value is None else f"{100 * value:.1f}%"


def secs(value: float | None) -> str:
    if value is None or math.isnan(value):
        return NA
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def ratio(mine: float | None, theirs: float | None) -> str:
    if not mine or not theirs or math.isnan(mine) or math.isnan(theirs):
        return NA
    value = mine / theirs
    return f"{value:.0f}x" if value >= 100 else f"{value:.2g}x"


# -- accuracy -----------------------------------------------------------------------------


def accuracy_summary(scores: Sequence[ToolScore], expected: int, ok: int) -> Table:
    table = Table(
        "Precision and recall on the labelled corpus",
        ["tool", "hits", "missed", "false positives", "ok lines flagged", "precision", "recall"],
        numeric=frozenset(range(1, 7)),
    )
    for score in scores:
        if score.missing:
            table.rows.append([score.tool, f"not available: {score.missing}", "", "", "", "", ""])
            continue
        t = score.total
        table.rows.append(
            [
                score.tool,
                str(t.tp),
                str(t.fn),
                str(t.fp),
                f"{t.ok_flagged} / {t.ok_total}",
                pct(t.precision),
                pct(t.recall),
            ]
        )
    table.notes.append(
        f"{expected} expected findings and {ok} must-not-flag lines. blocking-io must report the "
        "exact rule on the line; a peer hits an expected finding with any ASYNC2xx code on that "
        "line. Any other report is a false positive."
    )
    return table


def _feature_order(features: set[str]) -> list[str]:
    def key(feature: str) -> tuple[int, int, str]:
        if feature in ANALYSIS:
            return (0, list(ANALYSIS).index(feature), feature)
        if feature in PEER_EVAL:
            return (1, list(PEER_EVAL).index(feature), feature)
        return (2, 0, family_rule(feature) or feature)

    return sorted(features, key=key)


def accuracy_by_feature(scores: Sequence[ToolScore], counts: dict[str, tuple[int, int]]) -> Table:
    present = [s for s in scores if not s.missing]
    columns = ["feature", "expected", "ok"]
    for score in present:
        columns += [f"{score.tool} P", f"{score.tool} R"]
    table = Table(
        "Precision (P) and recall (R) per feature",
        columns,
        numeric=frozenset(range(1, len(columns))),
    )
    for feature in _feature_order(set(counts)):
        expected, ok = counts[feature]
        label = feature
        rule = family_rule(feature)
        if rule:
            label = f"{feature} ({rule})"
        row = [label, str(expected), str(ok)]
        for score in present:
            s = score.by_feature.get(feature)
            row += [pct(s.precision if s else None), pct(s.recall if s else None)]
        table.rows.append(row)
    table.notes.append(
        "Features: analysis situations first, then flake8-async's own ASYNC2xx eval files "
        "translated to our rules, then one row per rule family. "
        f"{NA}: no finding reported (P) or nothing expected (R)."
    )
    return table


# -- speed --------------------------------------------------------------------------------


def speed_table(results: Sequence[TargetSpeed], runs: int) -> Table:
    table = Table(
        f"Speed (median of {runs} run{'s' if runs != 1 else ''})",
        [
            "target",
            "files",
            "lines",
            "tool",
            "runs",
            "findings",
            "cold s",
            "warm s",
            "1 edit s",
            "peak MiB",
            "sum MiB",
            "lines/s",
            "vs hydroid",
            "vs ruff",
            "vs flake8-async",
        ],
        numeric=frozenset(range(1, 15)) - {3},
    )
    blank = [""] * 10
    for target in results:
        if target.error:
            table.rows.append([target.name, "", "", "", f"not available: {target.error}", *blank])
            continue
        cold = {name: median(t.cold) if t.ok else None for name, t in target.tools.items()}
        for index, name in enumerate(TOOLS):
            tool = target.tools.get(name)
            if tool is None:
                continue
            head = (
                [target.name, str(target.files), f"{target.lines:,}"]
                if index == 0
                else ["", "", ""]
            )
            if not tool.ok:
                why = tool.missing or tool.error or "no run"
                table.rows.append([*head, name, f"not available: {why}", *blank])
                continue
            mine = cold[name]
            table.rows.append(
                [
                    *head,
                    name,
                    str(len(tool.cold)),
                    str(tool.findings),
                    secs(mine),
                    secs(median(tool.warm) if tool.warm else None),
                    secs(median(tool.edit) if tool.edit else None),
                    f"{max(tool.rss_kib) / 1024:.0f}" if tool.rss_kib else NA,
                    f"{max(tool.sum_kib) / 1024:.0f}" if tool.sum_kib else NA,
                    f"{target.lines / mine:,.0f}" if mine else NA,
                    ratio(mine, cold.get("hydroid")),
                    ratio(mine, cold.get("ruff")),
                    ratio(mine, cold.get("flake8-async")),
                ]
            )
    table.notes += [
        "cold: blocking-io with --no-cache, hydroid with --no-cache, ruff with --no-cache, "
        "flake8-async (no cache). warm: the cache of a previous run (blocking-io's report dir, "
        "hydroid's .hydroid_cache, ruff's --cache-dir). "
        "1 edit: warm, after appending a function to the target's largest file.",
        f"runs: cold runs; a series whose first run takes over {REPEAT_LIMIT:.0f} s is "
        "measured once. peak MiB: the largest resident set of one process of the tool "
        "(wait4 ru_maxrss); sum MiB: the largest sum of the resident sets of all its "
        "processes at one time (sampled from /proc every 5 ms, at least peak MiB; pages a "
        "forked worker shares with its parent count twice). "
        "vs: cold time divided by the peer's cold time in the same bench run. Each tool uses "
        "its default parallelism.",
        "findings: blocking-io findings (unsuppressed); hydroid's diagnostics; for ruff and "
        "flake8-async, ASYNC2xx reports. blocking-io and hydroid run with `--python` the "
        "same empty virtual environment (following installed libraries is measured in the "
        "dependencies section), hydroid with `--exclude` of the two tools' cache folders, so "
        "both scan the same files. blocking-io runs as users install it: a wheel of the "
        "working tree in a venv of its own (bench/.work/tool-venv; the development venv's "
        "editable install adds setuptools' import hook, about 20 ms, to every start).",
    ]
    return table


# the goals of issue 21, as blocking-io / hydroid-cli ratios measured in the same run
HYDROID_GOALS = {"cold": 0.6, "warm": 1.0, "1 edit": 0.2, "sum MiB": 1.0}


def hydroid_table(results: Sequence[TargetSpeed]) -> Table:
    """blocking-io against hydroid-cli: each ratio and whether it meets the goal."""
    columns = ["target", "lines"]
    for name, goal in HYDROID_GOALS.items():
        columns += [f"{name} ratio", f"goal <= {goal:g}"]
    table = Table(
        "blocking-io / hydroid-cli (same run)",
        columns,
        numeric=frozenset({1, 2, 4, 6, 8}),
    )
    for target in results:
        bio, hyd = target.tools.get("blocking-io"), target.tools.get("hydroid")
        if target.error or bio is None or hyd is None or not bio.ok or not hyd.ok:
            continue
        pairs = {
            "cold": (median(bio.cold), median(hyd.cold)),
            "warm": (
                median(bio.warm) if bio.warm else None,
                median(hyd.warm) if hyd.warm else None,
            ),
            "1 edit": (
                median(bio.edit) if bio.edit else None,
                median(hyd.edit) if hyd.edit else None,
            ),
            "sum MiB": (
                float(max(bio.sum_kib)) if bio.sum_kib else None,
                float(max(hyd.sum_kib)) if hyd.sum_kib else None,
            ),
        }
        row = [target.name, f"{target.lines:,}"]
        for name, (mine, theirs) in pairs.items():
            if mine is None or not theirs:
                row += [NA, NA]
                continue
            value = mine / theirs
            row += [f"{value:.2f}", "yes" if value <= HYDROID_GOALS[name] else "no"]
        table.rows.append(row)
    table.notes.append(
        "Ratios of medians (memory: of the largest summed resident set over all runs). "
        "cold: blocking-io --no-cache / hydroid --no-cache; warm: each tool's unchanged "
        "re-run with its cache; 1 edit: each re-run after appending a function to the "
        "largest file."
    )
    return table


# -- runtime ------------------------------------------------------------------------------


def runtime_table(modes: Sequence[Mode], runs: int) -> Table:
    table = Table(
        f"Runtime gate: the anchor suite (tests/blocking_io), median of {runs} run"
        f"{'s' if runs != 1 else ''}",
        ["mode", "pytest options", "median s", "vs no gate", "outcome"],
        numeric=frozenset({2, 3}),
    )
    base = next((m for m in modes if m.name == "no gate" and m.seconds), None)
    base_median = median(base.seconds) if base else None
    for mode in modes:
        options = mode.shown
        if mode.missing or mode.error or not mode.seconds:
            why = mode.missing or mode.error or "no run"
            table.rows.append([mode.name, options, "", "", f"not available: {why}"])
            continue
        mine = median(mode.seconds)
        table.rows.append([mode.name, options, secs(mine), ratio(mine, base_median), mode.outcome])
    table.notes.append(
        "Wall time of a whole `python -m pytest` process (interpreter start-up and collection "
        "included)."
    )
    return table


def scale_table(modules: int, lines: int, runs: Sequence[ScaleRun]) -> Table:
    table = Table(
        f"Scale: a generated tree of {modules:,} modules, {lines:,} lines (bench/scale.py)",
        ["run", "jobs", "seconds", "peak MiB", "findings", "lines/s"],
        numeric=frozenset({1, 2, 3, 4, 5}),
    )
    for run in runs:
        if run.error:
            table.rows.append([run.label, str(run.jobs), "", "", "", f"failed: {run.error}"])
            continue
        table.rows.append(
            [
                run.label,
                str(run.jobs),
                secs(run.seconds),
                f"{run.rss_kib / 1024:.0f}",
                f"{run.findings:,}",
                f"{lines / run.seconds:,.0f}" if run.seconds else NA,
            ]
        )
    table.notes.append(
        "Chains run through every module and wrap around (cycles); every 50th module writes "
        "a file, reached from every handler. peak MiB: the largest single process "
        "(parent or one worker). The warm re-run is dominated by loading the cached result: "
        "5,100 findings with chains over 50 calls deep are a 99 MB findings.json (real "
        "projects have tens of findings; see Speed)."
    )
    return table


def dependencies_table(apis: int, runs: Sequence[DepRun], repeats: int) -> Table:
    table = Table(
        f"Following installed libraries: a project calling {apis} blocking APIs of the "
        "knowledge base's libraries (bench/dependencies.py)",
        ["run", "seconds", "APIs found", "modules summarised", "from the user cache"],
        numeric=frozenset({1, 2, 3, 4}),
    )
    for run in runs:
        if run.error:
            table.rows.append([run.label, "", "", "", f"failed: {run.error}"])
            continue
        table.rows.append(
            [run.label, secs(run.seconds), f"{run.found}/{apis}", str(run.summarized),
             str(run.cached)]
        )  # fmt: skip
    table.notes.append(
        f"Median of {repeats} run(s). The libraries are installed with `pip install --no-deps` "
        "(their own dependencies are missing, so a chain through one of those stops there); "
        "the knowledge base row scans the same project against an empty venv. A warm re-run "
        "reports the counts of the run it replays."
    )
    return table


def teeth_table(runs: Sequence[TeethRun]) -> Table:
    table = Table(
        "Teeth check on the embedded target (`blocking-io teeth --site ...`)",
        ["offload sites", "exercised", "jobs", "seconds", "s per exercised site", "outcomes"],
        numeric=frozenset({0, 1, 2, 3, 4}),
    )
    for run in runs:
        if run.error:
            table.rows.append([str(run.sites), "", str(run.jobs), "", "", f"failed: {run.error}"])
            continue
        per_site = secs(run.seconds / run.exercised) if run.exercised else NA
        outcomes = ", ".join(f"{n} {name}" for name, n in run.outcomes.items())
        table.rows.append(
            [str(run.sites), str(run.exercised), str(run.jobs), secs(run.seconds), per_site,
             outcomes]
        )  # fmt: skip
    table.notes.append(
        "Each exercised site re-runs the anchors that executed it with that one offload "
        "reverted: the cost grows with the exercised sites, divided by the jobs. Unexercised "
        "sites cost nothing. Wall time includes the start of the command."
    )
    return table


def key_values(title: str, items: dict[str, str]) -> Table:
    return Table(title, ["", ""], [[k, v] for k, v in items.items()])


# -- rendering ----------------------------------------------------------------------------


def print_table(console: Console, table: Table) -> None:
    rich = RichTable(title=table.title, title_justify="left", show_lines=False)
    for index, column in enumerate(table.columns):
        rich.add_column(column, justify="right" if index in table.numeric else "left")
    for row in table.rows:
        rich.add_row(*row)
    console.print(rich)
    for note in table.notes:
        console.print(f"[dim]{note}[/dim]")
    console.print()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table, level: int = 3) -> str:
    lines = [f"{'#' * level} {table.title}", ""]
    if any(table.columns):
        lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    else:
        lines.append("| | |")
    lines.append(
        "|"
        + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.columns)))
        + "|"
    )
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    for note in table.notes:
        lines += [note, ""]
    return "\n".join(lines)
