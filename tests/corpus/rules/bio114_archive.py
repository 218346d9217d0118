# feature: archive
"""Backup export and restore: zip and tar archives handled on the loop."""

import asyncio
import shutil
import tarfile
import zipfile
from pathlib import Path

BACKUPS = Path("/srv/backups")


async def export_workspace(name: str, files: dict[str, bytes]) -> Path:
    target = BACKUPS / f"{name}.zip"
    with zipfile.ZipFile(target, "w") as zf:  # expect: BIO114
        for arcname, data in files.items():
            zf.writestr(arcname, data)  # listed: BIO114
    return target


async def read_member(archive: Path, member: str) -> bytes:
    zf = zipfile.ZipFile(archive)  # expect: BIO114
    return zf.read(member)  # listed: BIO114


async def restore(tar: tarfile.TarFile, dest: Path) -> None:
    tar.extractall(dest)  # expect: BIO114


async def open_backup(name: str):
    return tarfile.open(BACKUPS / name)  # expect: BIO114


async def snapshot(name: str) -> str:
    return shutil.make_archive(str(BACKUPS / name), "gztar", "/srv/workspaces")  # expect: BIO114


async def unpack(name: str, dest: str) -> None:
    shutil.unpack_archive(BACKUPS / name, dest)  # expect: BIO114


async def snapshot_offloaded(name: str) -> str:
    return await asyncio.to_thread(shutil.make_archive, str(BACKUPS / name), "gztar", "/srv/workspaces")  # ok: offloaded by reference
