# feature: file-create
"""Per-user workspace creation in an agent sandbox service."""

import os
from pathlib import Path

import anyio

DATA = Path("/srv/agent/workspaces")


async def ensure_user_dir(user_id: str) -> Path:
    path = DATA / user_id
    path.mkdir(parents=True, exist_ok=True)  # expect: BIO109
    return path


async def mark_ready(path: Path) -> None:
    (path / ".ready").touch()  # expect: BIO109


async def link_shared(path: Path, shared: Path) -> None:
    (path / "shared").symlink_to(shared)  # expect: BIO109


async def lock_down(path: Path) -> None:
    path.chmod(0o700)  # expect: BIO109


async def legacy_setup(root: str, uid: int) -> None:
    os.makedirs(root, exist_ok=True)  # expect: BIO109
    os.mkdir(os.path.join(root, "tmp"))  # expect: BIO109
    os.chown(root, uid, uid)  # expect: BIO109
    os.utime(root)  # expect: BIO109
    os.chmod(root, 0o750)  # expect: BIO109


async def ensure_user_dir_anyio(user_id: str) -> None:
    await anyio.Path(DATA / user_id).mkdir(parents=True, exist_ok=True)  # ok: anyio.Path.mkdir is async
