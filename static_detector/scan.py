"""One scan: discover -> summarize (parallel, cached) -> resolve -> findings report."""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import multiprocessing
import os
import pickle
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from shared_rules import ProjectConfig, __version__
from shared_rules.atomic import interrupts_held, release_interrupts
from shared_rules.reports import ErrorEntry, FindingsReport, FunctionInfo, Stats, ToolInfo

from . import ir, typeshed
from .astroid_fallback import infer_unresolved
from .cache import Cache
from .callgraph import Classifier, FunctionFacts
from .dependencies import Dependencies
from .discovery import SourceFile, discover
from .exposure import compute_reach, entrypoints, loop_roots, raw_findings
from .findings import SuppressionIndex, build_findings, build_offloads
from .resolver import FuncV, PartialV, Project
from .summarize import FuncSummary, ModuleSummary, SourceError, summarize

MAX_FILE_BYTES = 8 * 1024 * 1024
SERIAL_BELOW = 24  # files to summarize; below this a process pool costs more than it saves

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class ScanResult:
    report: FindingsReport
    from_cache: bool
    facts: dict[str, FunctionFacts] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Job:
    rel: str
    module: str
    is_package: bool
    raw: bytes


def _summarize_job(job: _Job) -> ModuleSummary | ErrorEntry:
    try:
        return summarize(job.raw, job.module, job.rel, job.is_package)
    except SourceError as exc:
        return ErrorEntry(path=job.rel, line=exc.line, kind=exc.kind, message=str(exc))
    except RecursionError:
        return ErrorEntry(path=job.rel, kind="too-deep", message="nesting too deep to analyse")
    except Exception as exc:  # a bug of ours must not lose the rest of the scan
        return ErrorEntry(
            path=job.rel, kind="internal-error", message=f"{type(exc).__name__}: {exc}"
        )


def _summarize_pickled(job: _Job) -> bytes | ErrorEntry:
    """In a worker: the summary already pickled, so the parent unpickles it once and writes
    the same bytes to the cache instead of pickling it again."""
    result = _summarize_job(job)
    if isinstance(result, ErrorEntry):
        return result
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _summarize_chunk(jobs: list[_Job]) -> list[bytes | ErrorEntry]:
    return [_summarize_pickled(job) for job in jobs]


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is much cheaper to start than spawn (no re-import of astroid/pydantic per worker)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_init(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent decides (and stops the workers);
    # a worker must not die half-way through sending a result
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    release_interrupts()  # forked while they were held (interrupts_held)
    # a parent killed outright (SIGKILL, the OOM killer) cannot stop its workers, and they
    # never see EOF on the job queue (their siblings hold it open): they go by themselves
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers are killed, not waited for, when the scan is abandoned
    (KeyboardInterrupt, SIGTERM via the CLI, any error): leaving the `with` block of a
    plain executor waits for every file already handed to a worker."""
    before = {child.pid for child in multiprocessing.active_children()}
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        _abandon(pool, before)
        raise
    finally:
        pool.shutdown(wait=True)


def _abandon(pool: ProcessPoolExecutor, before: set[int | None]) -> None:
    """Kill the pool's workers (no public API before Python 3.14's `kill_workers`)."""
    # the pool's, and any it forked but had not recorded yet when the interrupt came
    workers = {
        *(getattr(pool, "_processes", None) or {}).values(),
        *(c for c in multiprocessing.active_children() if c.pid not in before),
    }
    for process in workers:
        with contextlib.suppress(Exception):
            process.kill()
    for process in workers:
        with contextlib.suppress(Exception):
            process.join(5)
    # A worker killed while sending a result leaves half a message in the result pipe, and
    # the pool's manager thread (which shutdown() joins) waits for the rest for ever. With
    # every write end closed (the workers' by their death, ours here) it reads EOF instead.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()


def _run_jobs(
    jobs: list[_Job], workers: int, progress: Progress | None
) -> list[ModuleSummary | bytes | ErrorEntry]:
    """Summaries (pickled when they come from a worker) or errors, in the order of `jobs`."""
    total = len(jobs)
    if workers <= 1 or total < SERIAL_BELOW:
        out: list[ModuleSummary | bytes | ErrorEntry] = []
        for i, job in enumerate(jobs):
            out.append(_summarize_job(job))  # in-process: no pickle round trip
            if progress:
                progress("parse", i + 1, total)
        return out
    results: list[bytes | ErrorEntry | None] = [None] * total
    try:
        with _pool(workers) as pool:
            chunk = max(1, min(16, total // (workers * 8) or 1))
            with interrupts_held():  # the workers are forked by the first submit
                # not pool.map: interrupted, it cancels the queued work, and the pool of
                # Python < 3.12 then dies with a traceback marking those futures broken
                chunks = [
                    pool.submit(_summarize_chunk, jobs[start : start + chunk])
                    for start in range(0, total, chunk)
                ]
            done = 0
            for future in chunks:
                for result in future.result():
                    results[done] = result
                    done += 1
                    if progress:
                        progress("parse", done, total)
    except BrokenProcessPool:
        # a worker died (killed, out of memory, interpreter crash): redo what is missing,
        # each file in its own single-use worker so one bad file cannot take the rest down
        for i, job in enumerate(jobs):
            if results[i] is not None:
                continue
            try:
                with _pool(1) as solo:
                    with interrupts_held():
                        single = solo.submit(_summarize_pickled, job)
                    results[i] = single.result()
            except BrokenProcessPool:
                results[i] = ErrorEntry(
                    path=job.rel,
                    kind="worker-crashed",
                    message="the analysis worker crashed on this file",
                )
    return [r for r in results if r is not None]


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISDIR, "a directory"))  # fmt: skip


def _usable_cpus() -> int:
    """CPUs this process may run on (taskset, container cpusets), not all the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic GC while summaries are built, unpickled and analysed: millions of small
    objects that live until the scan ends or are freed by reference counting; the collector
    only re-walked the growing heap (measured: a quarter of the CPU time of a scan, for 3%
    more peak memory). Forked workers inherit the pause; it ends with the scan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(file: SourceFile) -> bytes | ErrorEntry:
    # O_NONBLOCK: opening a FIFO named `x.py` must not wait forever for a writer; the
    # type is checked on the open descriptor, so a file swapped after discovery is seen too
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file.path, flags)
    except FileNotFoundError:
        return ErrorEntry(
            path=file.rel, kind="unreadable", message="file disappeared during the scan"
        )
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a unix socket
            return ErrorEntry(
                path=file.rel, kind="unreadable", message="not a regular file: a socket"
            )
        return ErrorEntry(path=file.rel, kind="unreadable", message=exc.strerror or str(exc))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "special file")
            return ErrorEntry(
                path=file.rel, kind="unreadable", message=f"not a regular file: {what}"
            )
        if info.st_size > MAX_FILE_BYTES:
            return ErrorEntry(
                path=file.rel,
                kind="too-large",
                message=f"{info.st_size} bytes; skipped (limit {MAX_FILE_BYTES})",
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # one byte past the limit: a file that grew since fstat is still refused
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return ErrorEntry(
                path=file.rel,
                kind="too-large",
                message=f"over {MAX_FILE_BYTES} bytes; skipped (limit {MAX_FILE_BYTES})",
            )
        return raw
    except OSError as exc:
        return ErrorEntry(path=file.rel, kind="unreadable", message=exc.strerror or str(exc))
    finally:
        os.close(fd)


def scan(
    project: ProjectConfig,
    paths: list[Path] | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> ScanResult:
    started = time.perf_counter()
    files, errors = discover(project, paths)
    cache = Cache(project.report_dir if use_cache else None)
    workers = max(1, jobs or _usable_cpus())

    raws: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for file in files:
        raw = _read(file)
        if isinstance(raw, ErrorEntry):
            errors.append(raw)
            continue
        raws[file.rel] = raw
        hashes[file.rel] = hashlib.sha256(raw).hexdigest()
        keys[file.rel] = Cache.summary_key(file.module, file.rel, file.is_package, hashes[file.rel])

    result_key = Cache.result_key(
        list(keys.values()),
        project.config_hash,
        project.registry.rules_hash,
        str(project.root),
        repr(sorted((e.path, e.kind, e.message) for e in errors)),
    )
    cached = cache.get("result", result_key)
    if isinstance(cached, tuple) and len(cached) == 2:
        cached, stamps = cached
        # the result also depended on installed packages it followed calls into
        if not all(stamp.current() for stamp in stamps):
            cached = None
    if isinstance(cached, FindingsReport):
        elapsed = time.perf_counter() - started
        cached.stats = Stats(
            files=cached.stats.files,
            lines=cached.stats.lines,
            seconds=round(elapsed, 3),
            cache_hits=cached.stats.files,
        )
        return ScanResult(cached, from_cache=True)

    modules: dict[str, ModuleSummary] = {}
    todo: list[_Job] = []
    hits = 0
    by_rel = {f.rel: f for f in files}
    with _collector_paused():
        for file in files:
            if file.rel not in raws:
                continue
            summary = cache.get("summary", keys[file.rel])
            if isinstance(summary, ModuleSummary):
                modules[file.module] = summary
                hits += 1
            else:
                todo.append(_Job(file.rel, file.module, file.is_package, raws[file.rel]))
        for job, result in zip(todo, _run_jobs(todo, workers, progress), strict=True):
            if isinstance(result, ErrorEntry):
                errors.append(result)
                continue
            if isinstance(result, bytes):
                summary = pickle.loads(result)
                cache.put_bytes("summary", keys[by_rel[job.rel].rel], result)
            else:
                summary = result
                cache.put("summary", keys[by_rel[job.rel].rel], summary)
            modules[summary.module] = summary

    # in file order, whatever came from the cache and whatever from the workers
    modules = {f.module: modules[f.module] for f in files if f.module in modules}
    deps = Dependencies(
        registry=project.registry,
        typeshed=typeshed.load(),
        cache=cache,
        project_tops=frozenset(m.partition(".")[0] for m in modules),
        max_depth=project.settings.dependency_depth,
    )
    with _collector_paused():  # the analysis allocates as much again, and keeps most of it
        report, facts = analyse(project, modules, errors, hashes, deps, cache, workers)
    report.stats = Stats(
        files=len(files),
        lines=sum(m.lines for m in modules.values()),
        seconds=round(time.perf_counter() - started, 3),
        cache_hits=hits,
    )
    cache.put("result", result_key, (report, tuple(deps.stamps)))
    cache.prune()
    return ScanResult(report, from_cache=False, facts=facts)


def analyse(
    project: ProjectConfig,
    modules: dict[str, ModuleSummary],
    errors: list[ErrorEntry],
    hashes: dict[str, str],
    deps: Dependencies | None = None,
    cache: Cache | None = None,
    workers: int = 1,
) -> tuple[FindingsReport, dict[str, FunctionFacts]]:
    """The whole-program part: resolve, classify, reach, report."""
    resolver = Project(modules, typeshed.load(), deps)
    classifier = Classifier(resolver, project.registry)
    facts = classify_reachable(resolver, classifier, project, errors)
    if cache is not None:
        infer_unresolved(facts, classifier, project.root, cache, errors, jobs=workers)
    roots = loop_roots(resolver, facts, project)
    reach = compute_reach(facts)
    raw = raw_findings(facts, roots, reach)
    lines = _line_reader(project)
    suppressions = SuppressionIndex.build(modules)
    findings = build_findings(raw, entrypoints(facts, roots), suppressions, lines)
    offloads = build_offloads(facts, reach, classifier, lines)
    functions = {
        q: FunctionInfo(path=m.path, span=(fs.line, fs.end_line), **{"async": fs.is_async})
        for q, m, fs in resolver.iter_functions()
        if fs.kind != "module" and m.origin == "project"
    }
    report = FindingsReport(
        schema="blocking-io/findings/1",
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
    return report, facts


def classify_reachable(
    resolver: Project, classifier: Classifier, project: ProjectConfig, errors: list[ErrorEntry]
) -> dict[str, FunctionFacts]:
    """Classify only what can matter: loop roots, what they reach, and functions that hand
    work to threads or register loop callbacks (found by a cheap name filter first).
    Sync code that nothing on the loop reaches is never resolved: in a typical service that
    is most of it, and resolving is the expensive part."""
    registry = project.registry
    api_names = {a.method_name for a in (*registry.offloads, *registry.loop_callbacks)}
    max_depth = project.settings.dependency_depth
    queue: list[tuple[str, int]] = []
    for qualname, _, fs in resolver.iter_functions():
        if fs.kind == "module":
            continue
        if fs.is_async or project.is_loop_entrypoint(qualname) or _calls_named(fs, api_names):
            queue.append((qualname, 0))
    facts: dict[str, FunctionFacts] = {}
    depth: dict[str, int] = {}
    while queue:
        qualname, level = queue.pop()
        if qualname in facts or qualname not in resolver.functions:
            continue
        summary, fs = resolver.functions[qualname]
        if summary.origin == "dependency":
            level += 1  # calls followed into an installed package: bounded
            if level > max_depth:
                continue
        try:
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
    for site in fs.calls:
        func = site.func
        name = (
            func.attr
            if isinstance(func, ir.Attr)
            else func.id
            if isinstance(func, ir.Name)
            else None
        )
        if name in names:
            return True
    return False


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


def iter_paths(values: Iterable[str]) -> list[Path]:
    return [Path(v) for v in values]


if sys.platform == "win32":  # pragma: no cover
    SERIAL_BELOW = 10**9
