# feature: file-delete
"""Session cleanup that deletes files on the event loop."""

import asyncio
import os
import shutil
from pathlib import Path

SESSIONS = Path("/var/lib/agent/sessions")


async def drop_session(session_id: str) -> None:
    shutil.rmtree(SESSIONS / session_id)  # expect: BIO110


async def drop_upload(path: Path) -> None:
    path.unlink(missing_ok=True)  # expect: BIO110


async def drop_empty_dir(path: Path) -> None:
    path.rmdir()  # expect: BIO110


async def legacy_cleanup(path: str) -> None:
    os.remove(path)  # expect: BIO110
    os.unlink(path + ".lock")  # expect: BIO110
    os.rmdir(os.path.dirname(path))  # expect: BIO110
    os.removedirs("/var/lib/agent/tmp/a/b")  # expect: BIO110


async def drop_session_offloaded(session_id: str) -> None:
    await asyncio.to_thread(shutil.rmtree, SESSIONS / session_id, ignore_errors=True)  # ok: offloaded by reference
