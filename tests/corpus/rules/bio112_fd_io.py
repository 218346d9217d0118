# feature: fd-io
"""A write-ahead log that writes and fsyncs a raw descriptor on the loop."""

import asyncio
import os


class WriteAheadLog:
    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)  # ok: __init__ runs at start-up, not from the loop

    async def append(self, record: bytes) -> None:
        os.write(self.fd, record)  # expect: BIO112
        os.fsync(self.fd)  # expect: BIO112

    async def append_offloaded(self, record: bytes) -> None:
        await asyncio.to_thread(os.write, self.fd, record)  # ok: offloaded by reference
        await asyncio.to_thread(os.fsync, self.fd)  # ok: offloaded by reference


async def read_pipe(fd: int) -> bytes:
    return os.read(fd, 4096)  # expect: BIO112


async def sync_data(fd: int) -> None:
    os.fdatasync(fd)  # expect: BIO112


WAL = WriteAheadLog("/var/lib/relay/wal.log")  # ok: module-level code runs at import
