"""From a fresh project to a guarded one, as a team would do it: init, detect, the anchors,
the gap report's first suggestion turned into an anchor, and the report again. Nothing is
filled in by hand."""

from __future__ import annotations

import json
import shlex

from adoption_support import cli, run_pytest, write

NOTES = {
    "README.md": "# notes: a tiny async service\n",
    "src/notes/__init__.py": "",
    "src/notes/store.py": """
        from pathlib import Path


        class NoteStore:
            def __init__(self, root: Path) -> None:
                self.root = root

            def load(self, note_id: str) -> str:
                return (self.root / f"{note_id}.txt").read_text()

            def save(self, note_id: str, text: str) -> None:
                (self.root / f"{note_id}.txt").write_text(text)
    """,
    "src/notes/api.py": """
        import asyncio

        from .store import NoteStore


        class NotesAPI:
            def __init__(self, store: NoteStore) -> None:
                self.store = store

            async def get(self, note_id: str) -> str:
                return self.store.load(note_id)  # on the loop

            async def put(self, note_id: str, text: str) -> None:
                await asyncio.to_thread(self.store.save, note_id, text)  # fine


        async def health() -> dict:
            return {"ok": True}
    """,
    "src/notes/worker.py": """
        from .store import NoteStore


        async def compact(store: NoteStore, limit: int) -> int:
            removed = 0
            for path in sorted(store.root.glob("*.txt"))[limit:]:
                path.unlink()
                removed += 1
            return removed
    """,
}


def test_fresh_project_to_guarded_service(tmp_path):
    write(tmp_path, NOTES)

    init = cli("init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert "src layout; source roots: src; packages: notes" in init.stdout

    detect = cli("detect", cwd=tmp_path)
    assert detect.returncode == 1, detect.stderr  # findings
    assert "src/notes/api.py:11" in detect.stdout  # NotesAPI.get -> NoteStore.load
    assert "src/notes/worker.py:6" in detect.stdout  # compact's glob

    first = run_pytest(tmp_path, "tests/blocking_io", "--blocking-io-report")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "1 passed" in first.stdout  # the example anchor: notes.api.health

    gaps = cli("gaps", "--format", "json", cwd=tmp_path)
    assert gaps.returncode == 0, gaps.stderr
    report = json.loads(gaps.stdout)
    assert report["summary"]["unguarded"] == report["summary"]["findings"] > 0
    suggestion = report["suggested_anchors"][0]
    command = shlex.split(suggestion["command"])
    assert command[:3] == ["blocking-io", "anchor", "new"]

    scaffold = cli(*command[1:], cwd=tmp_path)
    assert scaffold.returncode == 0, scaffold.stderr
    assert f"an anchor for {suggestion['entrypoint']}" in scaffold.stdout

    second = run_pytest(tmp_path, "tests/blocking_io", "--blocking-io-report")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 passed, 1 skipped" in second.stdout
    assert "TODO: " in second.stdout  # the skip says which value to choose

    final = cli("gaps", cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    assert "2 anchors" in final.stdout
    assert (tmp_path / ".blocking-io" / "gaps.json").is_file()
    assert ".blocking-io" in (tmp_path / ".gitignore").read_text(encoding="utf-8")
