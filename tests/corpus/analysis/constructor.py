# feature: constructor
"""Constructing objects whose __init__ blocks: the construction call is the finding."""

import json
import sqlite3
from pathlib import Path


class PromptLibrary:
    def __init__(self, root: Path) -> None:
        self.prompts = {p.stem: p.read_text() for p in sorted(root.glob("*.md"))}  # ok: reported where it is constructed

    def get(self, name: str) -> str:
        return self.prompts[name]  # ok: dict lookup


class Settings:
    def __init__(self, path: Path) -> None:
        self.values = json.loads(path.read_text())  # ok: reported where it is constructed


class Counter:
    def __init__(self) -> None:
        self.value = 0  # ok: pure constructor


class Store:
    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path)  # ok: reported where it is constructed


async def render(name: str) -> str:
    library = PromptLibrary(Path("/opt/agent/prompts"))  # expect: BIO102
    return library.get(name)  # ok: pure method


async def load_settings() -> dict:
    return Settings(Path("/etc/agent/settings.json")).values  # expect: BIO102


async def fresh_counter() -> Counter:
    return Counter()  # ok: the constructor does no IO


async def open_store() -> Store:
    return Store("/var/lib/agent/store.db")  # expect: BIO501


LIBRARY = PromptLibrary(Path("/opt/agent/prompts"))  # ok: module-level code runs at import
