# feature: framework-hook
"""Karma plugin: its hooks run on the loop, its helpers are reported at the hook."""

import json
import sqlite3
from pathlib import Path

KARMA = Path("/var/lib/bot/karma.json")


def _load() -> dict:
    return json.loads(KARMA.read_text())  # ok: reported at the hook's call site


def on_message(text: str) -> None:
    if text.endswith("++"):
        scores = _load()  # expect: BIO102
        scores[text[:-2]] = scores.get(text[:-2], 0) + 1
        KARMA.write_text(json.dumps(scores))  # expect: BIO103


def on_command(name: str) -> int:
    with sqlite3.connect("/var/lib/bot/karma.db") as db:  # expect: BIO501
        return db.execute("SELECT score FROM karma WHERE name = ?", (name,)).fetchone()[0]  # expect: BIO501


def leaderboard() -> list:
    return sorted(_load().items(), key=lambda kv: -kv[1])  # ok: not a hook, never called from the loop
