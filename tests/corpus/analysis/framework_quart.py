# feature: framework-quart
"""Quart runs every sync route, hook and background task in an executor thread: none is
loop code; quart.utils.run_sync, app.ensure_async / sync_to_async and
add_background_task are offloads."""

import sqlite3
from pathlib import Path

from quart import Quart
from quart.utils import run_sync

app = Quart(__name__)
DB = "/var/lib/shop/shop.db"
CONFIG = Path("/etc/shop/config.json")


@app.before_serving
def open_db() -> None:
    app.db = sqlite3.connect(DB)  # ok: Quart runs sync before_serving in an executor


@app.route("/orders")
def orders() -> list:
    return app.db.execute("SELECT * FROM orders").fetchall()  # ok: a sync route runs in an executor


def load_config() -> str:
    return CONFIG.read_text()  # ok: reported at the async call site


def write_audit() -> None:
    (CONFIG.parent / "audit.log").write_text("ok")  # ok: runs in an executor


@app.route("/config")
async def config() -> str:
    return await run_sync(load_config)()  # ok: run_sync runs it in an executor


@app.route("/config2")
async def config2() -> str:
    return await app.ensure_async(load_config)()  # ok: ensure_async runs it in an executor


@app.route("/audit")
async def audit() -> str:
    app.add_background_task(write_audit)  # ok: a sync background task runs in an executor
    return "ok"


@app.route("/inline")
async def inline() -> str:
    return load_config()  # expect: BIO102
