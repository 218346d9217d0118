# feature: framework-starlette
"""FastAPI / Starlette run sync startup and shutdown handlers on the loop; sync routes,
dependencies, exception handlers and HTTPEndpoint methods run in the thread pool."""

import json
import sqlite3
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.endpoints import HTTPEndpoint

app = FastAPI()
router = APIRouter()
CONFIG = Path("/etc/shop/config.json")
DB = "/var/lib/shop/shop.db"


@app.on_event("startup")
def load_config() -> None:
    app.state.config = json.loads(CONFIG.read_text())  # expect: BIO102


@router.on_event("shutdown")
def close_db() -> None:
    sqlite3.connect(DB).close()  # expect: BIO501


@app.on_event("startup")
def mark_ready() -> None:
    app.state.ready = True  # ok: no IO


def warm_cache() -> None:
    app.state.cache = (CONFIG.parent / "cache.json").read_bytes()  # expect: BIO102


router.add_event_handler("startup", warm_cache)  # ok: module code registers it: the hook's body blocks


def get_db() -> sqlite3.Connection:
    return sqlite3.connect(DB)  # ok: a sync dependency runs in the thread pool


@app.get("/orders")
def orders(db: sqlite3.Connection = Depends(get_db)) -> list:
    return db.execute("SELECT * FROM orders").fetchall()  # ok: a sync route runs in the thread pool


@app.exception_handler(ValueError)
def on_value_error(request: Request, exc: ValueError) -> PlainTextResponse:
    (CONFIG.parent / "errors.log").write_text(str(exc))  # ok: a sync exception handler runs in the thread pool
    return PlainTextResponse("bad value", status_code=400)


class Health(HTTPEndpoint):
    def get(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse(CONFIG.read_text())  # ok: a sync HTTPEndpoint method runs in the thread pool


def open_pool() -> None:
    app.state.pool = sqlite3.connect(DB)  # expect: BIO501


def flush_stats() -> None:
    (CONFIG.parent / "stats.json").write_text("{}")  # expect: BIO103


def load_settings() -> dict:
    return json.loads(CONFIG.read_text())  # ok: a sync dependency runs in the thread pool


# constructor hooks: each callable of the lists runs on the loop at start-up / shut-down
admin = FastAPI(on_startup=[open_pool, mark_ready], on_shutdown=(flush_stats,))  # ok: module code
api = APIRouter(dependencies=[Depends(load_settings)])  # ok: dependencies are no hooks


app.add_route("/health", Health)
app.include_router(router)
