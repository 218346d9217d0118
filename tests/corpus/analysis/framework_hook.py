# feature: framework-hook
# config: loop-entrypoints = ["framework_hook.on_message", "framework_hook.Bot.on_*"]
"""Sync hooks a framework calls on the event loop, declared with loop-entrypoints."""

import json
from pathlib import Path

LOG = Path("/var/log/bot/messages.jsonl")
BLOCKLIST = Path("/etc/bot/blocklist.txt")


def blocked_words() -> set[str]:
    return set(BLOCKLIST.read_text().split())  # ok: reported at the hook's call site


def on_message(message: dict) -> None:
    with open(LOG, "a") as fh:  # expect: BIO101
        fh.write(json.dumps(message) + "\n")  # listed: BIO105


def format_message(message: dict) -> str:
    return json.dumps(message)  # ok: pure helper


def export_log() -> str:
    return LOG.read_text()  # ok: not a loop entry point, never called from the loop


class Bot:
    def on_join(self, user: str) -> bool:
        return user not in blocked_words()  # expect: BIO102

    def on_leave(self, user: str) -> str:
        return format_message({"left": user})  # ok: the hook does no IO

    def handle_admin(self, user: str) -> bool:
        return user in blocked_words()  # ok: not a loop entry point
