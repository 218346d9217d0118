# feature: cheap-fs-syscall
"""BIO107 is off by default: the same calls are not findings without `select`."""

import os
from pathlib import Path

WORKSPACES = Path("/srv/workspaces")


async def open_workspace(name: str) -> Path:
    return (WORKSPACES / name).resolve()  # ok: BIO107 is opt-in (off by default)


async def cwd_relative(name: str) -> str:
    return os.path.abspath(name)  # ok: BIO107 is opt-in (off by default)


async def where_am_i() -> str:
    return os.getcwd()  # ok: BIO107 is opt-in (off by default)


async def upload_size(fd: int) -> int:
    return os.fstat(fd).st_size  # ok: BIO107 is opt-in (off by default)


async def absolute(name: str) -> Path:
    return Path(name).absolute()  # ok: BIO107 is opt-in (off by default)
