"""Module summaries built in worker processes: the pool, its signal handling, and what
happens when a worker dies. Imported only when some file's summary is not in the cache;
multiprocessing and concurrent.futures only when a pool is used."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from blocking_io.shared_rules.atomic import interrupts_held, release_interrupts
from blocking_io.shared_rules.reports import ErrorEntry

from .cache import dumps
from .source import SourceError
from .summarize import summarize
from .summary import ModuleSummary

T = TypeVar("T")
SERIAL_BELOW = 24  # files to summarize; below this a process pool costs more than it saves
if sys.platform == "win32":  # pragma: no cover
    SERIAL_BELOW = 10**9

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

    from .progress import Progress


@dataclass(frozen=True, slots=True)
class Job:
    rel: str
    module: str
    is_package: bool
    raw: bytes


def _summarize_job(job: Job) -> ModuleSummary | ErrorEntry:
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


def _summarize_pickled(job: Job) -> bytes | ErrorEntry:
    """In a worker: the summary already pickled, so the parent unpickles it once and writes
    the same bytes to the cache instead of pickling it again."""
    result = _summarize_job(job)
    if isinstance(result, ErrorEntry):
        return result
    return dumps(result)


def _summarize_chunk(jobs: list[Job]) -> list[bytes | ErrorEntry]:
    return [_summarize_pickled(job) for job in jobs]


# which numbered tasks someone has started, shared by this process and its forked workers
Claims = tuple[Any, Any]  # (multiprocessing RawArray of bytes, multiprocessing Lock)
_claims: Claims | None = None  # a worker's, set by _worker_init
_CLAIM_WAIT = 5.0  # seconds; held for microseconds, so longer means its holder was killed


def _claim(claims: Claims, index: int, *, worker: bool) -> bool:
    """Whether this process takes task `index` (no one had). The lock not acquired in time
    (its holder killed while holding it: the pool is broken): a worker runs the task anyway
    (a result nobody uses), the parent claims nothing more."""
    flags, lock = claims
    if not lock.acquire(timeout=_CLAIM_WAIT):
        return worker
    try:
        if flags[index]:
            return False
        flags[index] = 1
        return True
    finally:
        lock.release()


def claimed(index: int, func: Callable[..., T], *args: Any) -> T | None:
    """In a worker of `shared_pool`: `func(*args)`, or None when the scanning process has
    already taken task `index`."""
    if _claims is not None and not _claim(_claims, index, worker=True):
        return None
    return func(*args)


@contextlib.contextmanager
def shared_pool(
    processes: int, tasks: int
) -> Iterator[tuple[ProcessPoolExecutor, Callable[[int], bool]]]:
    """`processes` processes sharing `tasks` numbered tasks: `processes - 1` forked workers
    (each task submitted as `claimed(index, func, ...)`), which take them from the front,
    and this one, which takes task `index` from the back while `take(index)` is true.
    Not `processes` workers beside a waiting parent: what is done here is not pickled
    across, and a forked worker's resident memory repeats this process's. Claims rather
    than Future.cancel: a cancelled future in a pool that then breaks makes the pool thread
    of Python < 3.12 die with a traceback."""
    context = _pool_context()
    claims: Claims = (context.RawArray("b", tasks), context.Lock())
    with _pool(processes - 1, claims) as pool:
        yield pool, lambda index: _claim(claims, index, worker=False)


def _pool_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork is much cheaper to start than spawn (no re-import of astroid/pydantic per worker)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_init(parent: int, claims: Claims | None) -> None:
    global _claims
    _claims = claims
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
def _pool(workers: int, claims: Claims | None = None) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers are killed, not waited for, when the scan is abandoned
    (KeyboardInterrupt, SIGTERM via the CLI, any error): leaving the `with` block of a
    plain executor waits for every file already handed to a worker."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    before = {child.pid for child in multiprocessing.active_children()}
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_worker_init,
        initargs=(os.getpid(), claims),
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
    import multiprocessing

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


def run_jobs(
    jobs: list[Job], workers: int, progress: Progress | None
) -> list[ModuleSummary | bytes | ErrorEntry]:
    """Summaries (pickled when they come from a worker) or errors, in the order of `jobs`,
    made in `workers` processes (`shared_pool`)."""
    total = len(jobs)
    done = 0

    def here(batch: list[Job]) -> list[ModuleSummary | bytes | ErrorEntry]:
        nonlocal done
        out: list[ModuleSummary | bytes | ErrorEntry] = []
        for job in batch:
            out.append(_summarize_job(job))  # in-process: no pickle round trip
            done += 1
            if progress:
                progress("parse", done, total)
        return out

    if workers <= 1 or total < SERIAL_BELOW:
        return here(jobs)
    from concurrent.futures.process import BrokenProcessPool

    results: list[ModuleSummary | bytes | ErrorEntry | None] = [None] * total
    chunk = max(1, min(16, total // (workers * 8) or 1))
    starts = range(0, total, chunk)
    try:
        with shared_pool(workers, len(starts)) as (pool, take):
            with interrupts_held():  # the workers are forked by the first submit
                # not pool.map: interrupted, it cancels the queued work, and the pool of
                # Python < 3.12 then dies with a traceback marking those futures broken
                chunks = [
                    pool.submit(claimed, i, _summarize_chunk, jobs[start : start + chunk])
                    for i, start in enumerate(starts)
                ]
            mine = set()
            for i in reversed(range(len(starts))):
                if not take(i):
                    break
                mine.add(i)
                results[starts[i] : starts[i] + chunk] = here(jobs[starts[i] : starts[i] + chunk])
            for i, (start, future) in enumerate(zip(starts, chunks, strict=True)):
                theirs = None if i in mine else future.result()
                for offset, result in enumerate(theirs or ()):
                    results[start + offset] = result
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
