"""`python -m bench` (`make bench`): accuracy on the corpus vs ruff and flake8-async, speed on
pinned code bases and the stdlib, a generated 1M-line tree, the cost of following installed
libraries, the cost of the runtime gate and of the teeth check. Prints the tables and writes docs/benchmarks.md (and, with --json, the
raw results)."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections import Counter
from pathlib import Path

from blocking_io.shared_rules.atomic import write_atomic
from rich.console import Console

from . import machine
from .accuracy import ToolScore, missing_tool, score_blocking_io, score_peer
from .corpus import CORPUS_DIR, Corpus, load_corpus
from .dependencies import measure_dependencies
from .detector import detector_missing, scan
from .peers import flake8_missing, ruff_missing, run_flake8, run_ruff, versions
from .runtime import ANCHORS, measure
from .scale import measure_scale
from .speed import TargetSpeed, measure_tree
from .tables import (
    Table,
    accuracy_by_feature,
    accuracy_summary,
    dependencies_table,
    hydroid_table,
    key_values,
    markdown_table,
    print_table,
    runtime_table,
    scale_table,
    speed_table,
    teeth_table,
)
from .targets import WORK_DIR, Target, Tree, build_tree, load_targets, prepare
from .teeth import measure_teeth

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("accuracy", "speed", "scale", "dependencies", "runtime", "teeth")
SCALE_MODULES = 5000  # about 1.1M lines (200 with --quick)
DOC = ROOT / "docs" / "benchmarks.md"
QUICK_SPEED_DIR = "flake8_async"  # --quick times the tools on this corpus folder only


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs, one run: a smoke test")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per measurement (default 3; 1 with --quick)"
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections ({', '.join(SECTIONS)})",
    )
    parser.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    parser.add_argument(
        "--tools",
        default="",
        help="speed: comma-separated tools to time (default: blocking-io,hydroid,ruff,flake8-async)",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="also the large targets of bench/targets.toml (letta, 150k lines: its sdist)",
    )
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR, help="downloads, trees, caches")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="the labelled corpus")
    parser.add_argument("--anchors", type=Path, default=ANCHORS, help="the anchor suite")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help=f"markdown report (default {DOC.relative_to(ROOT)}; none with --quick)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only, write no markdown")
    parser.add_argument(
        "--json", type=Path, default=None, help="also write the raw results as JSON"
    )
    parser.add_argument(
        "--corpus-isolated", action="store_true", help="scan each corpus case as its own project"
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per tool run")
    args = parser.parse_args(argv)
    args.sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)} (expected: {', '.join(SECTIONS)})")
    args.runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.output is None and not args.quick:
        args.output = DOC
    return args


def run_accuracy(corpus: Corpus, corpus_dir: Path, work: Path, isolated: bool) -> list[ToolScore]:
    scores: list[ToolScore] = []
    reason = detector_missing()
    if reason:
        scores.append(missing_tool("blocking-io", reason))
    else:
        result = scan(corpus.cases, work / "corpus-projects", isolated=isolated)
        if result.failures:
            name, why = next(iter(result.failures.items()))
            scores.append(missing_tool("blocking-io", f"{name}: {why}"))
        else:
            scores.append(score_blocking_io(corpus, result.reported))
    paths = [f.rel for f in corpus.files]
    for tool, missing, runner in (
        ("ruff", ruff_missing(), run_ruff),
        ("flake8-async", flake8_missing(), run_flake8),
    ):
        if missing:
            scores.append(missing_tool(tool, missing))
            continue
        run = runner(corpus_dir, paths)
        if run.error:
            scores.append(missing_tool(tool, run.error))
        else:
            scores.append(score_peer(tool, corpus, run.reports))
    return scores


def feature_counts(corpus: Corpus) -> dict[str, tuple[int, int]]:
    expected: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for f in corpus.files:
        expected[f.feature] += len(f.scored_keys())
        ok[f.feature] += len(f.ok)
    return {feature: (expected[feature], ok[feature]) for feature in expected | ok}


def speed_trees(args: argparse.Namespace) -> list[Tree]:
    work: Path = args.work_dir
    if args.quick:
        source = args.corpus / QUICK_SPEED_DIR
        tiny = Target("corpus-" + QUICK_SPEED_DIR, "a slice of the labelled corpus", source=source)
        return [build_tree(tiny, source, work / "trees", ())]
    targets, skip = load_targets(large=args.large or bool(args.targets))
    wanted = {t.strip() for t in args.targets.split(",") if t.strip()}
    if wanted:
        unknown = wanted - {t.name for t in targets}
        if unknown:
            raise SystemExit(
                f"python -m bench: error: unknown target(s): {', '.join(sorted(unknown))}"
            )
        targets = [t for t in targets if t.name in wanted]
    return prepare(targets, work, skip)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    console = Console(width=None if sys.stdout.isatty() else 200)
    work: Path = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    command = "python -m bench" + "".join(
        f" {shlex.quote(a)}" for a in (sys.argv[1:] if argv is None else argv)
    )
    tables: dict[str, list[Table]] = {}
    results: dict[str, object] = {
        "command": command,
        "machine": machine.describe(),
        "versions": versions(),
        "runs": args.runs,
    }
    tables["Machine and tools"] = [
        key_values("Machine", results["machine"]),  # type: ignore[arg-type]
        key_values("Tool versions", results["versions"]),  # type: ignore[arg-type]
    ]

    if "accuracy" in args.sections:
        corpus = load_corpus(args.corpus)
        if corpus.problems:
            console.print(f"[red]corpus problems:[/red] {corpus.problems[0]}")
            return 2
        scores = run_accuracy(corpus, args.corpus, work, args.corpus_isolated)
        counts = feature_counts(corpus)
        tables["Accuracy"] = [
            accuracy_summary(scores, corpus.count_expected(), corpus.count_ok()),
            accuracy_by_feature(scores, counts),
        ]
        results["accuracy"] = {
            "expected": corpus.count_expected(),
            "ok": corpus.count_ok(),
            "suppressed": corpus.count_suppressed(),
            "features": {k: list(v) for k, v in sorted(counts.items())},
            "tools": [s.as_dict() for s in scores],
        }

    if "speed" in args.sections:
        speed: list[TargetSpeed] = []
        for tree in speed_trees(args):
            console.print(f"[dim]speed: {tree.target.name} ({tree.lines:,} lines)[/dim]")
            tools = tuple(t.strip() for t in args.tools.split(",") if t.strip())
            speed.append(
                measure_tree(tree, args.runs, work, args.timeout, tools, installed=not args.quick)
            )
        tables["Speed"] = [speed_table(speed, args.runs), hydroid_table(speed)]
        results["speed"] = [t.as_dict() for t in speed]

    if "scale" in args.sections:
        modules = 200 if args.quick else SCALE_MODULES
        console.print(f"[dim]scale: {modules:,} generated modules[/dim]")
        lines, scale_runs = measure_scale(work, modules, args.timeout)
        tables["Scale"] = [scale_table(modules, lines, scale_runs)]
        results["scale"] = {
            "modules": modules,
            "lines": lines,
            "runs": [r.as_dict() for r in scale_runs],
        }

    if "dependencies" in args.sections:
        console.print("[dim]dependencies: the knowledge base's libraries, installed[/dim]")
        apis, dep_runs = measure_dependencies(work, args.runs, args.timeout)
        tables["Dependencies"] = [dependencies_table(apis, dep_runs, args.runs)]
        results["dependencies"] = {"apis": apis, "runs": [r.as_dict() for r in dep_runs]}

    if "runtime" in args.sections:
        modes = measure(args.anchors, work, args.runs, args.timeout)
        tables["Runtime"] = [runtime_table(modes, args.runs)]
        results["runtime"] = [m.as_dict() for m in modes]

    if "teeth" in args.sections:
        console.print("[dim]teeth: the embedded target[/dim]")
        teeth_runs = measure_teeth(work, args.timeout, quick=args.quick)
        tables["Teeth"] = [teeth_table(teeth_runs)]
        results["teeth"] = [r.as_dict() for r in teeth_runs]

    for group in tables.values():
        for table in group:
            print_table(console, table)
    results["tables"] = {name: [t.as_dict() for t in group] for name, group in tables.items()}

    if args.output and not args.no_write:
        write_atomic(args.output, render_markdown(command, tables))
        console.print(f"wrote {args.output}")
    if args.json:
        write_atomic(args.json, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


INTRO = """\
# Benchmarks

Generated by `make bench` with `{command}`; re-run it to refresh these numbers. The
harness is `bench/` (see `python -m bench --help`); the corpus is `tests/corpus/`, the
pinned code bases are in `bench/targets.toml`.
"""


def render_markdown(command: str, tables: dict[str, list[Table]]) -> str:
    parts = [INTRO.format(command=command)]
    for name, group in tables.items():
        parts.append(f"## {name}\n")
        parts += [markdown_table(t) for t in group]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
