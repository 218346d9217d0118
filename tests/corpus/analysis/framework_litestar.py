# feature: framework-litestar
"""Litestar runs a sync route handler and a sync `Provide` dependency on the loop unless
`sync_to_thread=True`, and sync on_startup / on_shutdown hooks on the loop."""

import sqlite3
import time
from pathlib import Path

from litestar import Controller, Litestar, get, post
from litestar.background_tasks import BackgroundTask
from litestar.concurrency import sync_to_thread
from litestar.di import Provide

DB = "/var/lib/shop/shop.db"
CONFIG = Path("/etc/shop/config.json")


@get("/orders")
def orders() -> list:
    return sqlite3.connect(DB).execute("SELECT * FROM orders").fetchall()  # expect: BIO501


@post("/orders", sync_to_thread=False)
def place_order() -> None:
    time.sleep(0.5)  # expect: BIO301


@get("/report", sync_to_thread=True)
def report() -> str:
    return CONFIG.read_text()  # ok: sync_to_thread=True runs it in a thread


class Admin(Controller):
    path = "/admin"

    @get("/config")
    def config(self) -> str:
        return CONFIG.read_text()  # expect: BIO102

    @get("/dump", sync_to_thread=True)
    def dump(self) -> bytes:
        return CONFIG.read_bytes()  # ok: sync_to_thread=True runs it in a thread


def settings() -> str:
    return CONFIG.read_text()  # expect: BIO102


def slow_settings() -> str:
    return (CONFIG.parent / "slow.json").read_text()  # ok: Provide(sync_to_thread=True) runs it in a thread


def db_dependency() -> sqlite3.Connection:
    return sqlite3.connect(DB)  # expect: BIO501


def open_pool() -> None:
    sqlite3.connect(DB).close()  # expect: BIO501


def audit() -> None:
    (CONFIG.parent / "audit.log").write_text("ok")  # ok: a BackgroundTask runs it in a thread


@get("/audit", background=BackgroundTask(audit), sync_to_thread=False)
def audited() -> str:
    return "ok"  # ok: no IO


@get("/offload")
async def offloaded() -> str:
    return await sync_to_thread(settings)  # ok: sync_to_thread runs it in a thread


app = Litestar(
    [orders, place_order, report, Admin, audited, offloaded],
    on_startup=[open_pool],
    dependencies={
        "settings": Provide(settings),  # ok: module code registers it: the dependency's body blocks
        "slow": Provide(slow_settings, sync_to_thread=True),  # ok: runs in a thread
        "db": Provide(db_dependency, sync_to_thread=False),  # ok: module code
    },
)
