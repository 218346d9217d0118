"""astroid inference for the calls the fast resolver could not resolve.

The summary-based resolver handles the common shapes at `ast` speed. What is left are call
sites whose method name is a blocking target (`x.read_text()`, `c.execute()`) but whose
receiver it could not type: values threaded through conditionals, containers, helpers
without annotations. For those sites only, and only in functions the loop reaches, astroid
builds the module and infers the callee. A site counts only if every inferred value is the
same blocking primitive: an uninferable or mixed answer reports nothing.

Results are cached per module content, so a warm run never starts astroid.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from blocking_io.shared_rules.reports import ErrorEntry

from blocking_io import __version__

from .cache import Cache
from .callgraph import Classifier, FunctionFacts
from .summary import CallSite, Origin
from .values import BoundExtV, ExtV, Value

Positions = tuple[tuple[int, int], ...]


def infer_unresolved(
    facts: dict[str, FunctionFacts],
    classifier: Classifier,
    root: Path,
    cache: Cache,
    errors: list[ErrorEntry],
    jobs: int = 1,
) -> int:
    """Add the primitives astroid can prove at unresolved sites; returns how many."""
    by_path: dict[str, list[tuple[FunctionFacts, CallSite]]] = defaultdict(list)
    for f in facts.values():
        if f.module.origin is Origin.PROJECT:
            for site in f.unresolved:
                by_path[f.module.path].append((f, site))
    plans = []
    for path in sorted(by_path):
        items = by_path[path]
        module = items[0][0].module
        positions: Positions = tuple(sorted({(s.line, s.col) for _, s in items}))
        key = hashlib.sha256(
            f"{__version__}|{module.module}|{module.sha256}|{positions}".encode()
        ).hexdigest()
        plans.append((path, module.module, positions, key, cache.get("astroid", key)))
    todo = [
        (root / path, name, positions, path)
        for path, name, positions, _, hit in plans
        if not isinstance(hit, dict)
    ]
    # largest modules first: one big module (and what it imports) is the critical path
    todo.sort(key=lambda job: -by_path[job[3]][0][0].module.lines)
    computed = dict(zip((job[3] for job in todo), _run(todo, jobs), strict=True))
    added = 0
    for path, _, _, key, hit in plans:
        if isinstance(hit, dict):
            symbols = hit
        else:
            symbols, problems = computed[path]
            errors.extend(problems)
            cache.put("astroid", key, symbols)
        for f, site in by_path[path]:
            symbol = symbols.get((site.line, site.col))
            if symbol and classifier.add_inferred(f, site, _value(symbol, classifier)):
                added += 1
    return added


Job = tuple[Path, str, Positions, str]
Inferred = tuple[dict[tuple[int, int], str], list[ErrorEntry]]


def _job(job: Job) -> Inferred:
    path, module, positions, rel = job
    problems: list[ErrorEntry] = []
    return _infer_module(path, module, positions, problems, rel), problems


def _run(todo: list[Job], jobs: int) -> list[Inferred]:
    """astroid costs a fraction of a second per module: modules are shared between `jobs - 1`
    forked workers (forked after astroid's builtins are built, so each starts warm) and
    this process (workers.shared_pool): the workers take them from the front (the largest),
    this process from the back. Not `jobs` workers beside a waiting parent: a forked
    worker's resident memory repeats the parent's (the whole analysis so far), which made
    the astroid phase the scan's peak of memory summed over processes."""
    if jobs <= 1 or len(todo) < 4:
        return [_job(job) for job in todo]
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    if "fork" not in multiprocessing.get_all_start_methods():
        return [_job(job) for job in todo]
    import astroid

    from .workers import claimed, shared_pool

    astroid.MANAGER.ast_from_module_name("builtins")
    try:
        with shared_pool(jobs, len(todo)) as (pool, take):
            futures = [pool.submit(claimed, i, _job, job) for i, job in enumerate(todo)]
            mine: dict[int, Inferred] = {}
            for i in reversed(range(len(todo))):
                if not take(i):
                    break
                mine[i] = _job(todo[i])
            out: list[Inferred] = []
            for i, future in enumerate(futures):
                theirs = None if i in mine else future.result()  # None: taken here
                out.append(mine[i] if theirs is None else theirs)
            return out
    except BrokenProcessPool:  # a worker died: do it here, one module at a time
        return [_job(job) for job in todo]


def _value(symbol: str, classifier: Classifier) -> Value:
    """`_io.TextIOWrapper.readline` -> a method of io.TextIOWrapper; `_sqlite3.connect` ->
    the function sqlite3.connect (canonical names, as the rules spell them)."""
    kind, _, name = symbol.partition(":")
    canonical = classifier.resolver.types.canonical(name)
    if kind == "method":
        cls, _, method = canonical.rpartition(".")
        return BoundExtV(classifier.resolver.types.canonical(cls), method)
    return ExtV(canonical)


def _infer_module(
    path: Path, module: str, positions: Positions, errors: list[ErrorEntry], rel: str
) -> dict[tuple[int, int], str]:
    import astroid  # only imported when there is something to infer
    from astroid import bases, nodes, util

    try:
        tree = astroid.MANAGER.ast_from_file(str(path), module, source=True)
    except Exception as exc:  # astroid cannot build it: the summary-based result stands
        errors.append(
            ErrorEntry(
                path=rel, kind="inference-error", message=f"astroid: {type(exc).__name__}: {exc}"
            )
        )
        return {}
    wanted = set(positions)
    out: dict[tuple[int, int], str] = {}
    for call in tree.nodes_of_class(nodes.Call):
        where = (call.lineno, call.col_offset)
        if where not in wanted or not isinstance(call.func, nodes.Attribute):
            continue
        try:
            inferred = list(_limited(call.func.infer(), 9))
        except RecursionError:
            errors.append(
                ErrorEntry(
                    path=rel,
                    line=call.lineno,
                    kind="inference-error",
                    message="astroid: recursion limit while inferring the callee",
                )
            )
            continue
        except Exception:
            continue
        names: set[str] = set()
        if len(inferred) > 8:
            continue  # too many possibilities to call it one primitive
        for value in inferred:
            if value is util.Uninferable:
                names = set()
                break
            if isinstance(value, bases.BoundMethod):
                names.add(f"method:{value.qname()}")
            elif isinstance(value, nodes.FunctionDef):
                names.add(f"function:{value.qname()}")
            else:
                names = set()
                break
        if len(names) == 1:
            out[where] = names.pop()
    return out


def _limited(values: Iterable[object], limit: int) -> Iterable[object]:
    for index, value in enumerate(values):
        if index >= limit:
            return
        yield value
