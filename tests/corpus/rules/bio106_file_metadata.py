# feature: file-metadata
"""Existence checks and stat calls in a media service."""

import os
import os.path
import shutil
from pathlib import Path

MEDIA = Path("/srv/media")


async def has_avatar(user_id: int) -> bool:
    return os.path.exists(f"/data/avatars/{user_id}.png")  # expect: BIO106


async def media_info(name: str) -> dict:
    path = MEDIA / name
    if not path.exists():  # expect: BIO106
        return {}
    st = path.stat()  # expect: BIO106
    return {"size": st.st_size, "dir": path.is_dir()}  # expect: BIO106


async def is_regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()  # expect: BIO106


async def legacy_checks(path: str) -> tuple:
    size = os.path.getsize(path)  # expect: BIO106
    mtime = os.path.getmtime(path)  # expect: BIO106
    mode = os.stat(path).st_mode  # expect: BIO106
    link = os.path.islink(path)  # expect: BIO106
    return size, mtime, mode, link


async def can_write(path: str) -> bool:
    return os.access(path, os.W_OK)  # expect: BIO106


async def find_ffmpeg() -> str | None:
    return shutil.which("ffmpeg")  # expect: BIO106


async def free_space() -> int:
    return shutil.disk_usage(MEDIA).free  # expect: BIO106


async def media_url(name: str) -> str:
    path = MEDIA / name
    base = os.path.basename(name)  # ok: string operation, no IO
    return f"/media/{path.stem}/{base}"  # ok: pure path arithmetic


async def same_upload(fd_a: int, fd_b: int) -> bool:
    return os.path.sameopenfile(fd_a, fd_b)  # expect: BIO106


async def same_name(a: str, b: str) -> bool:
    return os.path.normcase(a) == os.path.normcase(b)  # ok: string comparison, no IO
