# feature: offload-run_in_executor
"""loop.run_in_executor with the default and with a dedicated executor."""

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

UPLOADS = Path("/srv/uploads")


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()  # ok: only runs in an executor


class Indexer:
    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=2)

    def _index(self, path: Path) -> int:
        return len(path.read_text().split())  # ok: only runs in an executor

    async def index(self, name: str) -> int:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, self._index, UPLOADS / name)  # ok: offloaded by reference


async def upload_checksum(name: str) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, checksum, UPLOADS / name)  # ok: offloaded by reference


async def upload_checksum_legacy(name: str) -> str:
    loop = asyncio.get_event_loop()
    return await loop.run_in_executor(None, checksum, UPLOADS / name)  # ok: offloaded by reference


async def upload_size(name: str) -> int:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, open(UPLOADS / name, "rb").seek, 0, 2)  # expect: BIO101
