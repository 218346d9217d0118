# feature: async23x
"""flake8-async ASYNC230/231 (open / os.fdopen in async functions), translated. Wrapping the
file object afterwards does not help: open() itself still runs on the loop."""

import io
import os

import anyio


async def opens(path: str, fd: int):
    open(path)  # expect: BIO101
    io.open(path)  # expect: BIO101
    os.fdopen(fd)  # expect: BIO101


async def wrapped(path: str, fd: int):
    await anyio.wrap_file(open(path))  # expect: BIO101
    await anyio.wrap_file(os.fdopen(fd))  # expect: BIO101


async def with_statements(path: str, fd: int, lock):
    with os.fdopen(fd):  # expect: BIO101
        pass
    with open(path):  # expect: BIO101
        pass
    with open(path) as fh:  # expect: BIO101
        print(fh.name)  # ok: attribute access
    with lock, open(path):  # expect: BIO101
        pass


async def anyio_open(path: str):
    async with await anyio.open_file(path) as fh:  # ok: anyio.open_file is async
        return await fh.read()  # ok: coroutine


def sync_open(path: str):
    open(path)  # ok: sync function
