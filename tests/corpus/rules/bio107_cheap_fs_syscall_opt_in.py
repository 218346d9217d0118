# feature: cheap-fs-syscall
# config: select = ["ALL"]
"""BIO107 is opt-in: with select = ["ALL"] cwd / symlink / fstat calls on the loop are reported."""

import os
from pathlib import Path

WORKSPACES = Path("/srv/workspaces")


async def open_workspace(name: str) -> Path:
    root = (WORKSPACES / name).resolve()  # expect: BIO107
    return root


async def cwd_relative(name: str) -> str:
    return os.path.abspath(name)  # expect: BIO107


async def where_am_i() -> str:
    return os.getcwd()  # expect: BIO107


async def real(name: str) -> str:
    return os.path.realpath(name)  # expect: BIO107


async def upload_size(fd: int) -> int:
    return os.fstat(fd).st_size  # expect: BIO107


async def joined(name: str) -> str:
    return os.path.join("/srv", name)  # ok: string operation, no IO
