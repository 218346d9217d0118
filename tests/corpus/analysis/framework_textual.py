# feature: framework-textual
"""Textual runs sync message handlers (`on_*`, `@on(...)`), actions, key handlers, compose,
render, reactive watchers and timer / call_later callbacks on the loop; a sync function under
`@work(thread=True)` or given to run_worker runs in a thread."""

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import requests
from textual import on, work
from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

DB = "/var/lib/notes/notes.db"
NOTES = Path("/srv/notes")


def load_notes() -> list[str]:
    return sorted(p.name for p in NOTES.iterdir())  # ok: reported where the loop calls it


class NoteView(Static):
    path: reactive[str] = reactive("")

    def watch_path(self, path: str) -> None:
        self.update((NOTES / path).read_text())  # expect: BIO102

    def render(self) -> str:
        return self.path  # ok: no IO

    def export(self) -> str:
        return (NOTES / self.path).read_text()  # ok: nothing on the loop calls export


class Confirm(ModalScreen[bool]):
    def compose(self) -> ComposeResult:
        yield Static(json.loads((NOTES / "strings.json").read_text())["sure"])  # expect: BIO102

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")  # ok: no IO


class Notes(App):
    def on_mount(self) -> None:
        self.notes = load_notes()  # expect: BIO108
        self.set_interval(5, self.refresh_notes)  # ok: the callback's body is where it blocks
        self.call_later(self.ping)  # ok: the callback's body is where it blocks
        self.sync_remote()  # ok: a thread worker
        self.run_worker(self.reindex, thread=True)  # ok: a thread worker
        self.set_timer(1, self.warm_cache)  # ok: the callback's body is where it blocks
        self.call_after_refresh(self.load_drafts)  # ok: the callback's body is where it blocks
        self.call_next(self.check_lock)  # ok: the callback's body is where it blocks

    def warm_cache(self) -> None:
        self.cache = [(NOTES / n).read_text() for n in self.notes]  # expect: BIO102

    def load_drafts(self) -> None:
        self.drafts = json.loads((NOTES / "drafts.json").read_text())  # expect: BIO102

    def check_lock(self) -> None:
        self.locked = (NOTES / ".lock").exists()  # expect: BIO106

    def refresh_notes(self) -> None:
        self.notes = load_notes()  # expect: BIO108

    def ping(self) -> None:
        requests.get("https://notes.example/ping")  # expect: BIO406

    @on(Input.Submitted, "#search")
    def search(self, event: Input.Submitted) -> None:
        with sqlite3.connect(DB) as conn:  # expect: BIO501
            conn.execute("SELECT * FROM notes WHERE body LIKE ?", (event.value,))  # listed: BIO501

    def action_sync(self) -> None:
        subprocess.run(["git", "-C", str(NOTES), "pull"])  # expect: BIO201

    def key_r(self) -> None:
        time.sleep(0.2)  # expect: BIO301

    @work(thread=True)
    def sync_remote(self) -> None:
        subprocess.run(["git", "-C", str(NOTES), "push"])  # ok: @work(thread=True) runs it in a thread
        self.call_from_thread(self.reload)  # ok: the callback's body is where it blocks

    def reload(self) -> None:
        self.notes = load_notes()  # expect: BIO108

    def reindex(self) -> None:
        subprocess.run(["notes-index", str(NOTES)])  # ok: run_worker(thread=True) runs it in a thread

    def helper(self) -> str:
        return (NOTES / "README").read_text()  # ok: not a handler: nothing on the loop calls it


class Plain:
    def on_mount(self) -> None:
        time.sleep(1)  # ok: not a Textual class: nothing says the loop runs it
