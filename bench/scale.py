"""A generated service tree for scale runs: N modules, deep call chains across modules,
cycles, classes with injected collaborators, and a known number of seeded findings.

    python -m bench.scale OUT_DIR --modules 5000 --lines-per-module 200

Every module `pkg_<g>.mod_<i>` has sync helpers that call helpers of the next module (so
chains run through the whole tree and wrap around: cycles), a class using an injected
store, async handlers, offloaded work, and filler code. Every 50th module's deepest helper
writes a file: each of those is reached from many async handlers, which is what makes
whole-program analysis work at scale.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path

MODULES_PER_PACKAGE = 100
SEED_EVERY = 50


def module_source(index: int, total: int, lines_per_module: int) -> str:
    nxt = (index + 1) % total
    nxt_pkg, nxt_mod = divmod(nxt, MODULES_PER_PACKAGE)
    seeded = index % SEED_EVERY == 0
    sink = (
        "    Path(name).write_text('x')  # the seeded primitive"
        if seeded
        else "    return len(name)"
    )
    head = textwrap.dedent(
        f'''\
        """Generated module {index} of {total}."""
        import asyncio
        from pathlib import Path

        from pkg_{nxt_pkg}.mod_{nxt_mod} import step_a as next_step, Store as NextStore


        def sink(name):
        {sink}


        def step_a(name, depth=0):
            if depth > 3:
                return sink(name)
            return step_b(name, depth + 1)


        def step_b(name, depth):
            if depth > 2:
                return next_step(name, depth + 1)
            return step_a(name, depth + 1)


        class Store:
            def __init__(self, root: Path):
                self.root = root

            def save(self, name):
                return step_a(str(self.root / name))


        class Handler:
            def __init__(self, store: Store, other: NextStore):
                self.store = store
                self.other = other

            async def handle(self, name):
                await asyncio.to_thread(self.store.save, name)
                return self.other.save(name)

            async def direct(self, name):
                return sink(name)
        '''
    )
    filler_count = max(0, (lines_per_module - head.count("\n")) // 6)
    filler = "".join(
        f"\n\ndef compute_{n}(values):\n    total = 0\n    for v in values:\n        total += v * {n}\n    return total\n"
        for n in range(filler_count)
    )
    return head + filler


def generate(out: Path, modules: int, lines_per_module: int) -> int:
    """Write the tree; returns the number of lines written."""
    lines = 0
    out.mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text(
        '[tool.blocking-io]\nsource-roots = ["."]\nexclude = []\ndependency-depth = 0\n'
    )
    for index in range(modules):
        package, number = divmod(index, MODULES_PER_PACKAGE)
        pkg_dir = out / f"pkg_{package}"
        if number == 0:
            pkg_dir.mkdir(exist_ok=True)
            (pkg_dir / "__init__.py").write_text("")
        source = module_source(index, modules, lines_per_module)
        (pkg_dir / f"mod_{number}.py").write_text(source)
        lines += source.count("\n")
    return lines


@dataclass
class ScaleRun:
    label: str
    jobs: int
    seconds: float
    rss_kib: int
    findings: int
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def measure_scale(work: Path, modules: int, timeout: float) -> tuple[int, list[ScaleRun]]:
    """`blocking-io detect` on the generated tree: cold with 1 and 2 workers (no cache),
    then a run that fills the cache and an unchanged re-run. Returns (lines, runs)."""
    from .detector import run_detect  # the bench's one way to run the detector

    tree = work / "scale" / f"modules-{modules}"
    if tree.exists():
        shutil.rmtree(tree)
    lines = generate(tree, modules, 200)
    plan = [
        ("cold, no cache", 1, ["--no-cache", "--no-report"]),
        ("cold, no cache", 2, ["--no-cache", "--no-report"]),
        ("cold, filling the cache", 2, []),
        ("unchanged re-run (warm cache)", 2, []),
    ]
    runs = []
    for label, jobs, extra in plan:
        run = run_detect(tree, extra=[*extra, "--jobs", str(jobs)], timeout=timeout)
        findings = len(run.report.findings) if run.report else 0
        runs.append(ScaleRun(label, jobs, run.seconds, run.max_rss_kib, findings, run.error))
    return lines, runs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--lines-per-module", type=int, default=200)
    args = parser.parse_args()
    lines = generate(args.out, args.modules, args.lines_per_module)
    print(f"{args.modules} modules, {lines} lines in {args.out}")


if __name__ == "__main__":
    main()
