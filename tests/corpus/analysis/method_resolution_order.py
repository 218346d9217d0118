# feature: inherited-method
"""A method is looked up in Python's order (C3), not depth first: in `AsyncManager(Manager,
AsyncFileMixin)`, `AsyncFileMixin._save` comes before `FileMixin._save` (a base of both
`Manager` and `AsyncFileMixin`), as in jupyter_server's `AsyncFileContentsManager`."""

import asyncio
from pathlib import Path


class FileMixin:
    def _save(self, path: str, data: str) -> None:
        Path(path).write_text(data)  # ok: reported at the async call site


class AsyncFileMixin(FileMixin):
    async def _save(self, path: str, data: str) -> None:
        await asyncio.to_thread(Path(path).write_text, data)


class Manager(FileMixin):
    pass


class AsyncManager(Manager, AsyncFileMixin):
    async def save(self, path: str, data: str) -> None:
        await self._save(path, data)  # ok: AsyncFileMixin._save, the async one, runs


class SyncManager(Manager):
    async def save(self, path: str, data: str) -> None:
        self._save(path, data)  # expect: BIO103
