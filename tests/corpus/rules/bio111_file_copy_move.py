# feature: file-copy-move
"""Publishing build artifacts: copies and moves on the event loop."""

import asyncio
import os
import shutil
from pathlib import Path

STAGING = Path("/srv/staging")
PUBLIC = Path("/srv/public")


async def publish(name: str) -> None:
    shutil.copy2(STAGING / name, PUBLIC / name)  # expect: BIO111


async def publish_tree(release: str) -> None:
    shutil.copytree(STAGING / release, PUBLIC / release)  # expect: BIO111


async def archive_old(name: str) -> None:
    shutil.move(str(PUBLIC / name), "/srv/archive/")  # expect: BIO111


async def swap_in(tmp: Path, final: Path) -> None:
    tmp.replace(final)  # expect: BIO111


async def rename_release(old: Path, new: Path) -> None:
    old.rename(new)  # expect: BIO111


async def legacy_swap(tmp: str, final: str) -> None:
    os.replace(tmp, final)  # expect: BIO111
    os.rename(final, final + ".bak")  # expect: BIO111


async def copy_stream(src, dst) -> None:
    shutil.copyfileobj(src, dst)  # expect: BIO111


async def slug(name: str) -> str:
    return name.replace(" ", "-").lower()  # ok: str.replace, not Path.replace


async def publish_offloaded(name: str) -> None:
    await asyncio.to_thread(shutil.copy2, STAGING / name, PUBLIC / name)  # ok: offloaded by reference
