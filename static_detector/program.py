"""The whole-program part of a scan: module summaries -> resolve, classify, reach -> the
findings report. Imported only when the scan's result is not in the cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from blocking_io.shared_rules import ProjectConfig
from blocking_io.shared_rules.reports import (
    ErrorEntry,
    FindingsReport,
    FunctionInfo,
    Stats,
    ToolInfo,
)

from blocking_io import __version__

from . import ir
from .astroid_fallback import infer_unresolved
from .cache import Cache
from .callgraph import Classifier, FunctionFacts
from .dependencies import Dependencies
from .exposure import (
    RootKind,
    entrypoints,
    framework_roots,
    loop_roots,
    once_per_initialisation,
    raw_findings,
)
from .findings import SuppressionIndex, build_findings, build_offloads
from .guards import Binder
from .impact import Impacts
from .incremental import FactsStore, Previous
from .liveness import Liveness
from .locks import Contention, LockIndex, lock_names
from .reach import Reach
from .resolver import Resolver
from .summary import FuncSummary, FunctionKind, ModuleSummary, Origin
from .values import FuncV, PartialV


def analyse(
    project: ProjectConfig,
    modules: dict[str, ModuleSummary],
    errors: list[ErrorEntry],
    hashes: dict[str, str],
    deps: Dependencies | None = None,
    cache: Cache | None = None,
    workers: int = 1,
    stored: bytes | None = None,
    keep_alive: list[object] | None = None,
    previous: Previous | None = None,
) -> tuple[FindingsReport, dict[str, FunctionFacts], bytes | None]:
    """The whole-program part: resolve, classify, reach, report. `stored`: the facts kept
    by the previous scan of the same setting (b"" for none, None: keep nothing); returned,
    the facts to keep for the next one. `previous`: the summary a module had under a source
    the stored facts read (incremental.py). `keep_alive`: gets the analysis (resolver,
    facts), so that its objects are not freed when this returns."""
    resolver = Resolver(modules, project.registry.types, deps)
    classifier = Classifier(resolver, project.registry)
    # sync functions a framework runs on the loop (framework packs): classified as roots
    framework = framework_roots(resolver, project.registry, classifier)
    store = FactsStore(resolver, project.registry, stored, previous) if stored is not None else None
    facts = classify_reachable(
        resolver, classifier, project, errors, extra=sorted(framework), store=store
    )
    # the holders of the thread locks the loop takes decide whether taking them can wait
    locks = LockIndex(resolver)
    held = {name for f in facts.values() for name in lock_names(f)}
    if held:
        facts = classify_reachable(
            resolver, classifier, project, errors, facts, locks.candidates(held), store=store
        )
    if cache is not None:
        infer_unresolved(facts, classifier, project.root, cache, errors, jobs=workers)
    # a method of a class no instance of which can exist never runs
    liveness = Liveness(resolver, project.settings.closed_world)
    facts = {q: f for q, f in facts.items() if liveness.runs(q)}
    for f in facts.values():
        f.edges = [e for e in f.edges if liveness.runs(e.callee)]
    roots = loop_roots(resolver, facts, project, framework)
    # an async function nothing calls, in a closed world, is dead code
    async_roots = [q for q, r in roots.items() if r.kind is RootKind.ASYNC]
    for qualname in liveness.dead_roots(facts, async_roots):
        del roots[qualname]
    reach = Reach(facts, Binder(resolver))
    contention = Contention(locks, facts, reach)
    raw = raw_findings(facts, roots, reach, contention)
    impacts = Impacts(resolver, facts, roots, project.registry)
    for item in raw:
        item.impact = impacts.of(item.root.qualname, item.once)
    raw = once_per_initialisation(raw)
    lines = _line_reader(project)
    suppressions = SuppressionIndex.build(modules)
    findings = build_findings(raw, entrypoints(facts, roots), suppressions, lines)
    offloads = build_offloads(facts, reach, classifier, lines)
    functions = {
        q: FunctionInfo(path=m.path, span=(fs.line, fs.end_line), **{"async": fs.is_async})
        for q, m, fs in resolver.iter_functions()
        if fs.kind is not FunctionKind.MODULE and m.origin is Origin.PROJECT
    }
    report = FindingsReport(
        schema="blocking-io/findings/2",
        tool=ToolInfo(version=__version__),
        root=project.root.as_posix(),
        config_hash=project.config_hash,
        rules_hash=project.registry.rules_hash,
        findings=findings,
        functions=functions,
        offloads=offloads,
        unused_suppressions=suppressions.unused(),
        files=dict(sorted(hashes.items())),
        errors=sorted(errors, key=lambda e: (e.path, e.line or 0, e.kind)),
        stats=Stats(files=0, lines=0, seconds=0.0, cache_hits=0),
    )
    if keep_alive is not None:
        keep_alive.append((resolver, classifier, facts))
    return report, facts, store.payload() if store is not None else None


def classify_reachable(
    resolver: Resolver,
    classifier: Classifier,
    project: ProjectConfig,
    errors: list[ErrorEntry],
    facts: dict[str, FunctionFacts] | None = None,
    seeds: list[str] | None = None,
    extra: list[str] = [],  # noqa: B006 (never mutated)
    store: FactsStore | None = None,
) -> dict[str, FunctionFacts]:
    """Classify only what can matter: loop roots, what they reach, and functions that hand
    work to threads or register loop callbacks (found by a cheap name filter first).
    Sync code that nothing on the loop reaches is never resolved: in a typical service that
    is most of it, and resolving is the expensive part. With `facts` and `seeds`: classify
    `seeds` and what they reach too (lock holders), adding to `facts`. With `store`: the
    facts of the previous scan where nothing they read has changed (incremental.py)."""
    registry = project.registry
    api_names = {a.method_name for a in (*registry.offloads, *registry.loop_callbacks)}
    max_depth = project.settings.dependency_depth
    queue: list[tuple[str, int]] = []
    if seeds is not None:
        queue = [(q, 0) for q in seeds]
    else:
        # module code registers startup hooks (`router.add_event_handler("startup", f)`)
        registers = {a.method_name for a in registry.loop_callbacks}
        for qualname, _, fs in resolver.iter_functions():
            if fs.kind is FunctionKind.MODULE:
                if _calls_named(fs, registers):
                    queue.append((qualname, 0))
                continue
            if fs.is_async or project.is_loop_entrypoint(qualname) or _calls_named(fs, api_names):
                queue.append((qualname, 0))
        queue.extend((q, 0) for q in extra)
    facts = {} if facts is None else facts
    depth: dict[str, int] = {}
    while queue:
        qualname, level = queue.pop()
        if qualname in facts or qualname not in resolver.functions:
            continue
        summary, fs = resolver.functions[qualname]
        if summary.origin is Origin.DEPENDENCY:
            level += 1  # calls followed into an installed package: bounded
            if max_depth is not None and level > max_depth:
                continue
        f = store.reuse(qualname) if store is not None else None
        if f is None:
            resolver.log.open()  # what classifying it reads decides when it can be reused
            try:
                resolver.log.module(summary.module)
                f = classifier.facts(qualname, summary, fs)
            except RecursionError:
                errors.append(
                    ErrorEntry(
                        path=summary.path,
                        line=fs.line,
                        kind="analysis-error",
                        message=f"recursion too deep while resolving {qualname}",
                    )
                )
                continue
            finally:
                reads = resolver.log.close()
            if store is not None:
                store.keep(f, reads)
        facts[qualname] = f
        depth[qualname] = level
        queue.extend((e.callee, level) for e in f.edges if e.callee not in facts)
        queue.extend((c.callee, level) for c in f.callbacks if c.callee not in facts)
        for site in f.offloads:
            target = site.target
            while isinstance(target, PartialV):
                target = target.func
            if isinstance(target, FuncV) and target.qualname in resolver.functions:
                queue.append((target.qualname, level))
    # edges into dependency functions beyond the depth bound lead nowhere
    for f in facts.values():
        f.edges = [e for e in f.edges if e.callee in facts or e.callee not in resolver.functions]
    return facts


def _calls_named(fs: FuncSummary, names: set[str]) -> bool:
    return any(ir.last_name(site.func) in names for site in fs.calls)


def _line_reader(project: ProjectConfig) -> Callable[[str], list[str]]:
    cache: dict[str, list[str]] = {}

    def lines(rel: str) -> list[str]:
        if rel not in cache:
            path = project.root / rel if not Path(rel).is_absolute() else Path(rel)
            try:
                cache[rel] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                cache[rel] = []
        return cache[rel]

    return lines
