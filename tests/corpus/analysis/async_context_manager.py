# feature: async-context-manager
"""__aenter__ / __aexit__ run on the loop; __enter__ / __exit__ of an unused sync manager do not."""

import contextlib
import os
from pathlib import Path


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    async def __aenter__(self) -> "FileLock":
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR)  # expect: BIO101
        return self

    async def __aexit__(self, *exc: object) -> None:
        os.close(self.fd)  # ok: close is not a rule target
        self.path.unlink(missing_ok=True)  # expect: BIO110

    def __enter__(self) -> "FileLock":
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR)  # ok: the sync manager is never used from the loop
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)  # ok: sync manager


@contextlib.asynccontextmanager
async def workspace(root: Path):
    root.mkdir(exist_ok=True)  # expect: BIO109
    try:
        yield root
    finally:
        os.rmdir(root)  # expect: BIO110
