"""One scan: discover -> summarize (parallel, cached) -> resolve -> findings report."""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from blocking_io.shared_rules import ProjectConfig
from blocking_io.shared_rules.reports import (
    EnvironmentInfo,
    ErrorEntry,
    FindingsReport,
    Library,
    Stats,
)

from .cache import Cache, FileStamp
from .discovery import SourceFile, discover
from .progress import Progress

if TYPE_CHECKING:
    from .environment import Environment
    from .libraries import Distribution
    from .summary import ModuleSummary

MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass
class ScanInputs:
    """What the result depended on in the file system, as the scan saw it: the replay
    record of `blocking-io detect` (static_detector/manifest.py) is built from this."""

    read: dict[str, tuple[int, int, int, int]]  # path -> (size, mtime_ns, ctime_ns, inode)
    sha256: dict[str, str]  # path -> content hash of what was read
    # discovered files that could not be read, the paths and folders looked at, and the
    # environment's interpreter and sys.path folders (a package installed since is seen)
    other: list[str]
    stamps: tuple[FileStamp, ...]  # installed modules followed into


@dataclass
class ScanResult:
    report: FindingsReport
    from_cache: bool
    inputs: ScanInputs | None = None


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISDIR, "a directory"))  # fmt: skip


def _usable_cpus() -> int:
    """CPUs this process may run on (taskset, container cpusets), not all the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# Worker processes pay off from this much source to summarize: on 2 cores a cold scan of a
# 149k-line service (letta, 6.4 MB) took 4.6-6.6 s with 2 workers against 5.8-7.6 s in one
# process (4 runs each, interleaved), while a 28k-line tree (aiohttp, 1 MB) took as long
# either way and a 7k-line one (starlette) longer with the pool. Measured again with this
# process sharing the files with one worker: letta 3.95-4.71 s against 4.19-5.05 s in one
# process, aiohttp 0.98-1.23 s either way.
PARALLEL_FROM_BYTES = 2_000_000


def default_workers(source_bytes: int) -> int:
    """Processes that summarize when `--jobs` is not given (this one and the rest forked,
    workers.run_jobs): one per usable CPU when there is enough source, else this one."""
    cpus = _usable_cpus()
    return cpus if cpus >= 2 and source_bytes >= PARALLEL_FROM_BYTES else 1


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


def _read(file: SourceFile, seen: dict[str, tuple[int, int, int, int]]) -> bytes | ErrorEntry:
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
        seen[str(file.path)] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
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


def _too_deep(summary: ModuleSummary) -> Iterator[ErrorEntry]:
    """The parts of a module the summary had to leave out (summarize.DEEP_FRAMES)."""
    for qualname, line in summary.too_deep:
        what = f"`{qualname}`" if qualname else "a module-level statement"
        yield ErrorEntry(
            path=summary.path,
            line=line,
            kind="too-deep",
            message=f"{what} is nested too deep to analyse: its calls are not checked; "
            "the rest of the module is analysed",
        )


def find_environment(
    project: ProjectConfig, python: str | None = None, *, use_cache: bool = True
) -> Environment:
    """The project's environment (environment.py): `--python`, the configured `python`,
    VIRTUAL_ENV, .venv / venv, uv, pdm, poetry, hatch, else the running interpreter; the
    interpreter's answer comes from the user cache while it is current."""
    from . import environment
    from .probe_cache import ProbeCache
    from .user_cache import user_cache_dir

    return environment.find(
        project.root,
        python=python,
        configured=project.settings.python,
        project_name=_project_name(project),
        cache=ProbeCache(user_cache_dir(), environment.PROBE) if use_cache else None,
    )


def _project_name(project: ProjectConfig) -> str | None:
    """`[project].name` or `[tool.poetry].name` (poetry and hatch name their envs so)."""
    if project.path is None:
        return None
    from blocking_io.shared_rules import tomlio

    try:
        data = tomlio.load(project.path)
    except Exception:
        return None
    for table in (data.get("project"), data.get("tool", {}).get("poetry")):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            return str(table["name"])
    return None


def _environment_info(env: Environment, summarized: int, reused: int) -> EnvironmentInfo:
    return EnvironmentInfo(
        source=env.how,
        python=env.interpreter,
        version=env.version,
        libraries_summarized=summarized,
        libraries_cached=reused,
    )


_KEPT: list[object] = []  # scan(keep_alive=True)


def _stored_report(payload: object) -> FindingsReport | None:
    if not isinstance(payload, bytes):
        return None
    try:
        return FindingsReport.model_validate_json(payload)
    except ValueError:  # corrupt, or written by another schema: recompute
        return None


def _environment_warnings(env: Environment) -> list[ErrorEntry]:
    return [ErrorEntry(path=where, kind="environment", message=why) for where, why in env.warnings]


def _chain_libraries(
    report: FindingsReport, known: Mapping[str, Distribution]
) -> dict[str, Library]:
    """The distribution of every library file a finding's chain steps through."""
    out: dict[str, Library] = {}
    for finding in report.findings:
        for step in finding.chain:
            dist = known.get(step.path)
            if dist is not None and step.path not in out:
                out[step.path] = Library(name=dist.name, version=dist.version)
    return dict(sorted(out.items()))


def scan(
    project: ProjectConfig,
    paths: list[Path] | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    python: str | None = None,
    keep_alive: bool = False,
) -> ScanResult:
    """python: the command line's `--python` (absolute), over the configured `python`.
    keep_alive: the analysis's objects stay allocated until the process ends, for a caller
    that ends it without a teardown (the CLI's os._exit): freeing their millions of objects
    one by one took 0.2 s of an edited scan of letta."""
    started = time.perf_counter()
    walked: list[Path] = []
    files, errors = discover(project, paths, walked)
    cache = Cache(project.report_dir if use_cache else None)
    env = find_environment(project, python, use_cache=use_cache)

    raws: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    hashes: dict[str, str] = {}
    seen: dict[str, tuple[int, int, int, int]] = {}
    for file in files:
        raw = _read(file, seen)
        if isinstance(raw, ErrorEntry):
            errors.append(raw)
            seen.pop(str(file.path), None)
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
        env.key,
    )

    def inputs(stamps: tuple[FileStamp, ...]) -> ScanInputs:
        return ScanInputs(
            read=seen,
            sha256={str(f.path): hashes[f.rel] for f in files if str(f.path) in seen},
            other=[str(f.path) for f in files if str(f.path) not in seen]
            + [str(p) for p in walked]
            + list(env.watched),
            stamps=stamps,
        )

    entry = cache.get("result", result_key)
    cached: FindingsReport | None = None
    stamps: tuple[FileStamp, ...] = ()
    # the result also depended on installed packages it followed calls into
    if isinstance(entry, tuple) and len(entry) == 2 and all(s.current() for s in entry[1]):
        cached, stamps = _stored_report(entry[0]), entry[1]
    if isinstance(cached, FindingsReport):
        elapsed = time.perf_counter() - started
        cached.stats = Stats(
            files=cached.stats.files,
            lines=cached.stats.lines,
            seconds=round(elapsed, 3),
            cache_hits=cached.stats.files,
            environment=_environment_info(env, 0, 0),
        )
        return ScanResult(cached, from_cache=True, inputs=inputs(tuple(stamps)))

    # Not in the cache: only now import the parts that build summaries and analyse the
    # whole program (a tenth of a second of start-up that an unchanged re-run never needs)
    from .dependencies import Dependencies
    from .libraries import LibraryCache
    from .program import analyse
    from .summary import ModuleSummary
    from .workers import Job, run_jobs

    modules: dict[str, ModuleSummary] = {}
    todo: list[Job] = []
    hits = 0
    by_rel = {f.rel: f for f in files}
    # one pause from the first summary to the report (the analysis allocates as much again,
    # and keeps most of it): re-enabled in between, the collector walked every summary
    with _collector_paused():
        for file in files:
            if file.rel not in raws:
                continue
            summary = cache.get("summary", keys[file.rel])
            if isinstance(summary, ModuleSummary):
                modules[file.module] = summary
                hits += 1
            else:
                todo.append(Job(file.rel, file.module, file.is_package, raws[file.rel]))
        workers = max(1, jobs or default_workers(sum(len(job.raw) for job in todo)))
        for job, result in zip(todo, run_jobs(todo, workers, progress), strict=True):
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
        for summary in modules.values():
            errors.extend(_too_deep(summary))
        deps = Dependencies(
            registry=project.registry,
            cache=cache,
            project_tops=frozenset(m.partition(".")[0] for m in modules),
            max_depth=project.settings.dependency_depth,
            search_path=list(env.search_path),
            library_cache=LibraryCache() if use_cache else None,
        )
        # the facts of the previous scan of this setting: an edit re-classifies only what
        # read the edited modules
        facts_key = Cache.result_key(
            [f"{f.module}\0{f.rel}\0{f.is_package}" for f in files],
            "facts",
            f"{sys.version_info.major}.{sys.version_info.minor}",  # summaries differ by version
            project.config_hash,
            project.registry.rules_hash,
            str(project.root),
            env.key,
            # installing or removing a package changes what library calls reach
            repr([FileStamp.of(Path(p)) for p in env.watched]),
        )
        stored = (cache.get_bytes("facts", facts_key) or b"") if cache.enabled else None
        by_module = {f.module: f for f in files}

        def previous(module: str, sha256: str) -> ModuleSummary | None:
            """The cached summary of `module` for the source `sha256` hashes (incremental.py:
            an edited module's summary before and after the edit)."""
            file = by_module.get(module)
            if file is None:
                return None
            key = Cache.summary_key(file.module, file.rel, file.is_package, sha256)
            summary = cache.get("summary", key)
            return summary if isinstance(summary, ModuleSummary) else None

        report, _, kept = analyse(
            project,
            modules,
            errors,
            hashes,
            deps,
            cache,
            workers,
            stored=stored,
            keep_alive=_KEPT if keep_alive else None,
            previous=previous,
        )
        if kept is not None:
            cache.put_bytes("facts", facts_key, kept)
    report.warnings = [*_environment_warnings(env), *deps.problems]
    report.libraries = _chain_libraries(report, deps.libraries)
    report.stats = Stats(
        files=len(files),
        lines=sum(m.lines for m in modules.values()),
        seconds=round(time.perf_counter() - started, 3),
        cache_hits=hits,
        environment=_environment_info(env, deps.summarized, deps.reused),
    )
    # as JSON: pickling the freshly built report's pydantic models took 0.35 s on letta
    cache.put("result", result_key, (report.model_dump_json().encode(), tuple(deps.stamps)))
    cache.prune()
    if use_cache:
        from .user_cache import prune

        prune()  # at most once a day: library versions not used for a month
    return ScanResult(report, from_cache=False, inputs=inputs(tuple(deps.stamps)))
