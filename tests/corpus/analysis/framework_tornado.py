# feature: framework-tornado
"""Tornado runs sync handler methods, websocket callbacks and IOLoop callbacks on the loop;
run_in_executor and @run_on_executor run their callable in a thread."""

import asyncio
import concurrent.futures
import json
import sqlite3
import subprocess
import time
from pathlib import Path

import requests
from tornado import web
from tornado.concurrent import run_on_executor
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.websocket import WebSocketHandler

DB = "/var/lib/notes/notes.db"
ROOT = Path("/srv/notes")


def load_note(name: str) -> str:
    return (ROOT / name).read_text()  # ok: reported at the handler's call site


class BaseHandler(web.RequestHandler):
    def prepare(self) -> None:
        self.settings_doc = json.loads((ROOT / "settings.json").read_text())  # expect: BIO102

    def get_current_user(self) -> str | None:
        return requests.get("https://auth.example/me").text  # expect: BIO406

    def on_finish(self) -> None:
        self.done = True  # ok: no IO


class NoteHandler(BaseHandler):
    executor = concurrent.futures.ThreadPoolExecutor(4)

    def get(self, name: str) -> None:
        self.write(load_note(name))  # expect: BIO102

    def post(self, name: str) -> None:
        with sqlite3.connect(DB) as conn:  # expect: BIO501
            conn.execute("INSERT INTO notes VALUES (?)", (name,))  # listed: BIO501

    @run_on_executor
    def render_pdf(self, name: str) -> bytes:
        return subprocess.check_output(["pandoc", name])  # ok: @run_on_executor runs it in the executor

    async def put(self, name: str) -> None:
        await self.render_pdf(name)  # ok: the decorated method runs in the executor
        await IOLoop.current().run_in_executor(None, load_note, name)  # ok: offloaded

    def delete(self, name: str) -> None:
        IOLoop.current().run_in_executor(None, (ROOT / name).unlink)  # ok: offloaded


class Feed(WebSocketHandler):
    def open(self) -> None:
        self.history = (ROOT / "feed.log").read_text()  # expect: BIO102

    def on_message(self, message: str | bytes) -> None:
        time.sleep(0.05)  # expect: BIO301

    def on_close(self) -> None:
        self.history = ""  # ok: no IO

    def export(self) -> str:
        return (ROOT / "feed.log").read_text()  # ok: nothing on the loop calls export


class Plain:
    def get(self, name: str) -> str:
        return load_note(name)  # ok: not a RequestHandler: nothing says the loop runs it


def rotate_logs() -> None:
    subprocess.run(["logrotate", "/etc/logrotate.conf"])  # expect: BIO201


def ping() -> None:
    requests.get("https://health.example/ping")  # expect: BIO406


def tick() -> None:
    print("tick")  # ok: print is not a rule target


async def main() -> None:
    loop = IOLoop.current()
    loop.add_callback(rotate_logs)  # ok: the callback's body is where it blocks
    loop.add_callback(tick)  # ok: the callback does no IO
    PeriodicCallback(ping, 60_000).start()  # ok: the callback's body is where it blocks


class ReportHandler(web.RequestHandler):
    executor = concurrent.futures.ThreadPoolExecutor(2)

    @run_on_executor
    def get(self, name: str) -> str:
        return load_note(name)  # ok: @run_on_executor runs it in the executor; tornado awaits the future

    def head(self, name: str) -> None:
        self.set_header("X-Size", str((ROOT / name).stat().st_size))  # expect: BIO106


class Admin(web.RequestHandler):
    def initialize(self, root: Path) -> None:
        self.listing = sorted(root.iterdir())  # expect: BIO108

    def set_default_headers(self) -> None:
        self.set_header("X-Build", (ROOT / "BUILD").read_text())  # expect: BIO102

    def patch(self) -> None:
        (ROOT / "flag").touch()  # expect: BIO109

    def options(self) -> None:
        self.set_header("Allow", "GET, PATCH")  # ok: no IO

    def write_error(self, status_code: int, **kwargs: object) -> None:
        with open(ROOT / "error.html") as fh:  # expect: BIO101
            self.finish(fh.read())  # listed: BIO104

    def compute_etag(self) -> str | None:
        return None  # ok: no IO


def _sweep() -> None:
    (ROOT / "tmp").rmdir()  # expect: BIO110


def _reload() -> None:
    json.loads((ROOT / "routes.json").read_text())  # expect: BIO102


def _expire() -> None:
    time.sleep(0.2)  # expect: BIO301


def _deadline() -> None:
    requests.post("https://alerts.example/deadline")  # expect: BIO406


def _fetched(future: object) -> None:
    (ROOT / "last").write_text(str(future))  # expect: BIO103


def _on_fd(fd: int, events: int) -> None:
    subprocess.call(["drain", str(fd)])  # expect: BIO201


def _count(*args: object) -> None:
    print(args)  # ok: no IO


async def schedule(fd: int, pending: "asyncio.Future[str]") -> None:
    loop = IOLoop.current()
    loop.spawn_callback(_sweep)  # ok: the callback's body is where it blocks
    loop.call_later(5, _reload)  # ok: the callback's body is where it blocks
    loop.call_at(loop.time() + 10, _expire)  # ok: the callback's body is where it blocks
    loop.add_timeout(loop.time() + 30, _deadline)  # ok: the callback's body is where it blocks
    loop.add_future(pending, _fetched)  # ok: the callback's body is where it blocks
    loop.add_handler(fd, _on_fd, IOLoop.READ)  # ok: the handler's body is where it blocks
    loop.spawn_callback(_count)  # ok: the callback does no IO
    loop.call_later(1, _count)  # ok: the callback does no IO
    loop.add_future(pending, _count)  # ok: the callback does no IO
