# feature: offload-anyio
"""anyio.to_thread.run_sync and anyio's async file APIs."""

from pathlib import Path

import anyio
import anyio.to_thread

NOTES = Path("/srv/notes")


def render_note(name: str) -> str:
    return (NOTES / f"{name}.md").read_text()  # ok: only runs in a worker thread


async def note(name: str) -> str:
    return await anyio.to_thread.run_sync(render_note, name)  # ok: offloaded by reference


async def note_exists(name: str) -> bool:
    return await anyio.Path(NOTES / f"{name}.md").exists()  # ok: anyio.Path.exists is async


async def note_direct(name: str) -> str:
    return render_note(name)  # expect: BIO102
