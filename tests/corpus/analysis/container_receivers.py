# feature: receiver-type
"""Literal containers and builtin constructors are typed: `d.get(k)` on a dict is no
`Queue.get`, while the same shapes on a real queue, thread or file still are."""

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

JOBS: "queue.Queue[int]" = queue.Queue()


async def lookup(fd: int) -> bool:
    try:
        events = registry_of(fd)
    except LookupError:
        events = {}
    return bool(events.get(fd))  # ok: a dict (one definition is a literal {})


async def port_of(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme)  # ok: dict literal


async def pending(names: list[str]) -> list[str]:
    seen = {n for n in names}
    seen.remove(names[0])  # ok: set.remove
    table = dict(a=1)
    return [str(table.get("a"))]  # ok: dict() instance


async def next_job() -> int:
    return JOBS.get()  # expect: BIO305


async def wait_for(worker: threading.Thread) -> None:
    worker.join()  # expect: BIO304


async def text_replace(raw: str) -> str:
    return raw.replace("-", "_")  # ok: str.replace takes two arguments; Path.replace one


def registry_of(fd: int) -> dict[int, bool]:
    raise LookupError(fd)


class Worker(threading.Thread):
    def __init__(self) -> None:
        super().__init__()
        self.result: object = None


async def finish(worker: Worker) -> object:
    worker.join()  # expect: BIO304
    return worker.result  # ok: an attribute Worker defines, not one of Thread's


async def wait_all(pool: ThreadPoolExecutor, urls: list[str]) -> list[object]:
    futures = [pool.submit(print, u) for u in urls]
    futures.sort(key=id)  # ok: list.sort on a comprehension's list
    return [f.result() for f in futures]  # expect: BIO306


async def first_config(names: list[str]) -> str:
    paths = sorted(Path(n) for n in names)
    paths.pop()  # ok: list.pop
    pending = []
    pending.append(names)  # ok: list.append on a list literal
    return [Path(n) for n in names][0].read_text()  # expect: BIO102
