"""Differential check of incremental re-runs on a real tree: edit a random module (append
a function, comment out, duplicate or insert a line; only edits that still parse), scan
with the cache, scan without it, and compare findings and errors. Every file is restored.

    python -m bench.incremental_check TREE [--edits 10] [--seed 1] [--python VENV]
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import sys
import time
from pathlib import Path

from blocking_io.shared_rules import load_config
from blocking_io.static_detector.scan import scan

KINDS = ("append", "comment-out", "insert-blank", "duplicate")


def _edited(text: str, kind: str, rng: random.Random, tag: str) -> str | None:
    lines = text.splitlines(keepends=True)
    for _ in range(20):
        if kind == "append":
            new = text + f"\n\ndef _edit_{tag}():\n    return 1\n"
        elif not lines:
            return None
        else:
            j = rng.randrange(len(lines))
            line = {"comment-out": "# " + lines[j], "insert-blank": "\n", "duplicate": lines[j]}
            rest = lines[j + 1 :] if kind == "comment-out" else lines[j:]
            new = "".join([*lines[:j], line[kind], *rest])
        try:
            ast.parse(new)
        except SyntaxError:
            continue
        return new
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.incremental_check")
    parser.add_argument("tree", type=Path, help="a project root (its pyproject.toml is read)")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--python", help="the environment to follow (default: discovered)")
    args = parser.parse_args(argv)
    root = args.tree.resolve()
    project = load_config(cwd=root)
    python = str(Path(args.python).resolve()) if args.python else None
    rng = random.Random(args.seed)
    files = sorted(p for p in root.rglob("*.py") if ".blocking-io" not in p.parts)

    def run(use_cache: bool) -> tuple[list[str], list[tuple[str, str, str]], float]:
        started = time.perf_counter()
        report = scan(project, use_cache=use_cache, python=python).report
        findings = sorted(
            json.dumps(f.model_dump(mode="json"), sort_keys=True) for f in report.findings
        )
        errors = sorted((e.path, e.kind, e.message) for e in report.errors)
        return findings, errors, time.perf_counter() - started

    run(True)  # fills the cache
    differences = 0
    for index in range(args.edits):
        path = rng.choice(files)
        kind = rng.choice(KINDS)
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        new = _edited(text, kind, rng, f"{args.seed}_{index}")
        if new is None:
            continue
        path.write_text(new, encoding="utf-8", errors="surrogateescape")
        try:
            cached, cached_errors, seconds = run(True)
            fresh, fresh_errors, fresh_seconds = run(False)
        finally:
            path.write_text(text, encoding="utf-8", errors="surrogateescape")
        same = cached == fresh and cached_errors == fresh_errors
        differences += not same
        print(
            f"{index:3} {kind:12} {path.relative_to(root)}  with cache {seconds:.2f} s, "
            f"without {fresh_seconds:.2f} s: {'same' if same else 'DIFFERENT'}",
            flush=True,
        )
        for line in sorted(set(cached) ^ set(fresh))[:5]:
            print(f"      {'cached only' if line in cached else 'fresh only'}: {line[:240]}")
    print(f"{differences} of {args.edits} edits reported differently")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
