# feature: injected-object
"""Receiver types known from construction and from __init__ assignments."""

import json
from pathlib import Path


class TranscriptStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, run_id: str, messages: list) -> None:
        (self.root / f"{run_id}.json").write_text(json.dumps(messages))  # ok: reported at the async call sites

    def path_for(self, run_id: str) -> Path:
        return self.root / f"{run_id}.json"  # ok: pure path arithmetic


class InMemoryStore:
    def __init__(self) -> None:
        self.runs: dict[str, list] = {}

    def save(self, run_id: str, messages: list) -> None:
        self.runs[run_id] = messages  # ok: dict assignment


class AgentRunner:
    def __init__(self, store: TranscriptStore) -> None:
        self.store = store
        self.memory = InMemoryStore()
        self.archive = TranscriptStore(Path("/srv/archive"))

    async def finish(self, run_id: str, messages: list) -> None:
        self.store.save(run_id, messages)  # expect: BIO103
        self.memory.save(run_id, messages)  # ok: InMemoryStore.save does no IO

    async def archive_run(self, run_id: str, messages: list) -> str:
        self.archive.save(run_id, messages)  # expect: BIO103
        return str(self.archive.path_for(run_id))  # ok: pure method


async def handle(messages: list) -> None:
    store = TranscriptStore(Path("/srv/runs"))  # ok: the constructor does no IO
    store.save("latest", messages)  # expect: BIO103
    scratch = InMemoryStore()  # ok: pure constructor
    scratch.save("latest", messages)  # ok: InMemoryStore.save does no IO
