# feature: sqlite3-call
"""A FastAPI service storing users in sqlite3 and querying it on the loop."""

import asyncio
import sqlite3

import aiosqlite
from fastapi import FastAPI

app = FastAPI()
DB_PATH = "/var/lib/relay/users.db"
DB = sqlite3.connect(DB_PATH, check_same_thread=False)  # ok: module-level code runs at import


@app.get("/users/{user_id}")
async def get_user(user_id: int) -> dict:
    row = DB.execute("SELECT id, name FROM users WHERE id = ?", (user_id,)).fetchone()  # expect: BIO501
    return {"id": row[0], "name": row[1]}


@app.post("/users")
async def create_user(name: str) -> dict:
    conn = sqlite3.connect(DB_PATH)  # expect: BIO501
    with conn:  # listed: BIO501
        conn.execute("INSERT INTO users(name) VALUES (?)", (name,))  # listed: BIO501
    return {"name": name}


async def export_users() -> list:
    cur = DB.cursor()  # ok: creating a cursor does not touch the database
    cur.execute("SELECT * FROM users")  # expect: BIO501
    return cur.fetchall()  # expect: BIO501


async def bulk_insert(rows: list[tuple]) -> None:
    DB.executemany("INSERT INTO users(id, name) VALUES (?, ?)", rows)  # expect: BIO501
    DB.commit()  # expect: BIO501


async def get_user_aiosqlite(user_id: int):
    async with aiosqlite.connect(DB_PATH) as db:  # ok: aiosqlite runs sqlite in a thread
        async with db.execute("SELECT name FROM users WHERE id = ?", (user_id,)) as cur:  # ok: aiosqlite
            return await cur.fetchone()  # ok: aiosqlite cursor methods are coroutines


def _count_users() -> int:
    with sqlite3.connect(DB_PATH) as conn:  # ok: only runs in a worker thread
        return conn.execute("SELECT count(*) FROM users").fetchone()[0]  # ok: only runs in a worker thread


async def count_users() -> int:
    return await asyncio.to_thread(_count_users)  # ok: offloaded by reference
