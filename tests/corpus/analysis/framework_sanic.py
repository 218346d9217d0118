# feature: framework-sanic
"""Sanic calls sync route handlers, middleware, exception handlers, server listeners and
add_task callables directly on the loop; main_process_* listeners run before any loop."""

import sqlite3
import time
from pathlib import Path

from sanic import Blueprint, Sanic, text

app = Sanic("shop")
bp = Blueprint("admin", url_prefix="/admin")
DB = "/var/lib/shop/shop.db"
CONFIG = Path("/etc/shop/config.json")


@app.get("/orders")
def orders(request):
    return text(str(sqlite3.connect(DB).execute("SELECT 1").fetchall()))  # expect: BIO501


@bp.route("/config")
def config(request):
    return text(CONFIG.read_text())  # expect: BIO102


@app.on_request
def throttle(request):
    time.sleep(0.01)  # expect: BIO301


@app.exception(ValueError)
def on_value_error(request, exc):
    (CONFIG.parent / "errors.log").write_text(str(exc))  # expect: BIO103
    return text("bad value", status=400)


@app.before_server_start
def open_db(app):
    app.ctx.db = sqlite3.connect(DB)  # expect: BIO501


@app.listener("after_server_stop")
def close_db(app):
    sqlite3.connect(DB).close()  # expect: BIO501


@app.main_process_start
def prepare(app):
    CONFIG.parent.mkdir(exist_ok=True)  # ok: main_process_start runs before any loop


@app.listener("main_process_stop")
def cleanup(app):
    (CONFIG.parent / "pid").unlink()  # ok: main_process_stop runs after the loop, in the main process


def warm(app):
    app.ctx.cache = CONFIG.read_bytes()  # expect: BIO102


def report_pid(app):
    (CONFIG.parent / "pid").write_text("1")  # ok: a main process listener runs before any loop


app.add_task(warm)  # ok: module code registers it: the task's body blocks
app.register_listener(report_pid, "main_process_start")  # ok: module code
app.blueprint(bp)
