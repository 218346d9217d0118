# feature: closed-world
# config: closed-world = true
"""With `closed-world = true` (an application, not a library), an async function that
nothing in the program calls, awaits, passes or names is dead code: not a finding. A call
it cannot resolve keeps every function of that name that takes those arguments."""

import asyncio
import time
from pathlib import Path


class Backend:
    async def read(self, key: str) -> str:
        raise NotImplementedError

    async def remove(self, key: str) -> None:
        raise NotImplementedError

    async def copy(self, src: str, dst: str) -> None:
        raise NotImplementedError

    async def rename(self, src: str, dst: str) -> None:
        raise NotImplementedError


class DiskBackend(Backend):
    async def read(self, key: str) -> str:
        return Path(key).read_text()  # expect: BIO102

    async def remove(self, key: str) -> None:
        Path(key).unlink()  # expect: BIO110

    async def copy(self, src: str, dst: str) -> None:
        Path(dst).write_bytes(Path(src).read_bytes())  # ok: nothing calls copy(src, dst)

    async def rename(self, src: str, dst: str) -> None:
        Path(src).rename(dst)  # expect: BIO111


class Store:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def get(self, key: str) -> str:
        # typed by the base: the override runs
        return await self.backend.read(key)


async def cleanup(things, key: str, options: dict) -> None:
    await things.remove(key)  # an unknown receiver: every remove(key) may be the callee
    merged = options.copy()  # an unknown receiver, but no copy() that takes no argument
    print(merged)


async def _unused_helper(path: str) -> str:
    return Path(path).read_text()  # ok: no caller anywhere: dead code


async def _scheduled(path: str) -> None:
    time.sleep(1)  # expect: BIO301


async def _named(path: str) -> None:
    time.sleep(1)  # expect: BIO301


HANDLERS = {"rename": DiskBackend().rename}  # a bound method stored: it may run
JOB = "closed_world_calls:_named"  # named in configuration: it may run


def start() -> None:
    loop = asyncio.new_event_loop()
    loop.create_task(_scheduled("x"))
    app = Store(DiskBackend())
    loop.run_until_complete(app.get("k"))
    loop.run_until_complete(cleanup(app.backend, "k", {}))
