# feature: framework-aiohttp
"""aiohttp wraps a sync route handler (deprecated) in a coroutine that calls it on the loop:
registered with router.add_get, web.get(...) route definitions or a RouteTableDef."""

import json
import sqlite3
from pathlib import Path

from aiohttp import web

DB = "/var/lib/shop/shop.db"
CONFIG = Path("/etc/shop/config.json")
routes = web.RouteTableDef()


def orders(request: web.Request) -> web.Response:
    return web.json_response(sqlite3.connect(DB).execute("SELECT 1").fetchall())  # expect: BIO501


def config(request: web.Request) -> web.Response:
    return web.json_response(json.loads(CONFIG.read_text()))  # expect: BIO102


@routes.get("/health")
def health(request: web.Request) -> web.Response:
    return web.Response(text=(CONFIG.parent / "health").read_text())  # expect: BIO102


@routes.get("/version")
async def version(request: web.Request) -> web.Response:
    return web.Response(text="1")  # ok: no IO


def render(text: str) -> str:
    return text.upper()  # ok: a pure helper


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/orders", orders)  # ok: registration: the handler's body blocks
    app.add_routes([web.get("/config", config), web.post("/version", version)])  # ok: registration
    app.add_routes(routes)
    render("x")  # ok: no IO
    return app
