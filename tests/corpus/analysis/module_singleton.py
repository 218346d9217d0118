# feature: module-singleton
"""Module-level instances (a store, a connection, a client) used from async handlers."""

import json
import sqlite3
import threading
from pathlib import Path


class FeatureFlags:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()

    def load(self) -> dict:
        return json.loads(self.path.read_text())  # ok: reported at the async call site

    def describe(self) -> str:
        return f"flags from {self.path.name}"  # ok: pure method

    def reload(self) -> None:
        with self.lock:  # ok: the reloader thread holds it while it reads the file
            self.cache = json.loads(self.path.read_text())  # ok: runs in the reloader thread


FLAGS = FeatureFlags(Path("/etc/relay/flags.json"))  # ok: module-level code runs at import
DB = sqlite3.connect("/var/lib/relay/flags.db", check_same_thread=False)  # ok: module-level code runs at import
FLAG_CACHE = FLAGS.load()  # ok: module-level code runs at import


async def is_enabled(flag: str) -> bool:
    return bool(FLAGS.load().get(flag))  # expect: BIO102


async def audit(flag: str) -> None:
    DB.execute("INSERT INTO audit(flag) VALUES (?)", (flag,))  # expect: BIO501


async def describe_flags() -> str:
    return FLAGS.describe()  # ok: pure method


async def toggle(flag: str) -> None:
    with FLAGS.lock:  # expect: BIO302
        FLAG_CACHE[flag] = not FLAG_CACHE.get(flag)
