# feature: offload-partial
"""Offloading functools.partial objects: the wrapped call runs in the thread."""

import asyncio
import functools
import shutil
from functools import partial
from pathlib import Path

BUILDS = Path("/srv/builds")


def package(build_id: str, fmt: str) -> str:
    return shutil.make_archive(str(BUILDS / build_id), fmt, BUILDS / build_id)  # ok: runs in a worker thread


async def package_zip(build_id: str) -> str:
    return await asyncio.to_thread(functools.partial(package, build_id, "zip"))  # ok: partial offloaded


async def package_tar(build_id: str) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, partial(package, build_id, fmt="gztar"))  # ok: partial offloaded


async def copy_build(build_id: str, dest: Path) -> None:
    await asyncio.to_thread(partial(shutil.copytree, BUILDS / build_id, dest, dirs_exist_ok=True))  # ok: partial offloaded


async def package_now(build_id: str) -> str:
    job = partial(package, build_id, "zip")
    return job()  # expect: BIO114
