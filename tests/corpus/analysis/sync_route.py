# feature: sync-route
"""Sync route handlers run in Starlette's thread pool; async ones run on the loop."""

import json
import sqlite3
from pathlib import Path

from fastapi import APIRouter, FastAPI

app = FastAPI()
router = APIRouter()
DB_PATH = "/var/lib/relay/app.db"
TEMPLATES = Path("/srv/templates")


@app.get("/reports/{name}")
def get_report(name: str) -> dict:
    return json.loads((TEMPLATES / f"{name}.json").read_text())  # ok: sync route runs in the thread pool


@router.post("/items")
def create_item(name: str) -> dict:
    with sqlite3.connect(DB_PATH) as conn:  # ok: sync route runs in the thread pool
        conn.execute("INSERT INTO items(name) VALUES (?)", (name,))  # ok: sync route runs in the thread pool
    return {"name": name}


@app.get("/reports/{name}/async")
async def get_report_async(name: str) -> dict:
    return json.loads((TEMPLATES / f"{name}.json").read_text())  # expect: BIO102


@router.get("/items/{item_id}")
async def get_item(item_id: int) -> tuple:
    with sqlite3.connect(DB_PATH) as conn:  # expect: BIO501
        return conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()  # expect: BIO501


app.include_router(router)  # ok: module-level code runs at import
