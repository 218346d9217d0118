"""Receiver types decide what a method call is, never its name alone."""

from __future__ import annotations

from analysis_support import check


def test_path_objects_constructed_joined_annotated_and_returned(tmp_path):
    check(
        tmp_path,
        {
            "paths.py": """
                import os
                import pathlib
                from pathlib import Path

                ROOT = Path("/srv/data")

                def data_dir() -> Path:
                    return ROOT / "data"

                async def constructed(name):
                    return Path(name).exists()  # expect: BIO106

                async def joined(name):
                    return (ROOT / name / "meta.json").read_text()  # expect: BIO102

                async def annotated(p: Path, q: "pathlib.Path | None"):
                    p.unlink()  # expect: BIO110
                    q.mkdir()  # expect: BIO109

                async def returned():
                    return data_dir().is_dir()  # expect: BIO106

                async def path_methods_return_paths(p: Path):
                    return p.with_suffix(".bak").parent.exists()  # expect: BIO106

                async def pure_string_ops(name: str, p: Path):
                    name.replace("a", "b")  # ok: str.replace
                    os.path.join(name, "x").replace("/", "_")  # ok
                    p.name.replace("-", "_")  # ok: Path.name is a str
                    return p.with_name("x").suffix  # ok: no IO

                async def os_functions(p):
                    os.path.exists(p)  # expect: BIO106
                    os.path.normpath(p)  # ok: string manipulation only
                    os.path.realpath(p)  # ok: BIO107 is opt-in
            """,
        },
    )


def test_file_objects_and_sqlite_connections_and_cursors(tmp_path):
    check(
        tmp_path,
        {
            "db.py": """
                import sqlite3

                DB = sqlite3.connect("/var/lib/app.db")  # ok: module level

                async def by_id(user_id):
                    cur = DB.cursor()
                    cur.execute("SELECT 1 WHERE ? > 0", (user_id,))  # expect: BIO501
                    return cur.fetchone()  # expect: BIO501

                async def count():
                    return DB.execute("SELECT count(*) FROM t").fetchall()  # expect: BIO501

                async def connect_here(path):
                    conn = sqlite3.connect(path)  # expect: BIO501
                    with conn:  # expect: BIO501
                        conn.execute("DELETE FROM t")  # expect: BIO501

                async def files(path):
                    fh = open(path, "rb")  # expect: BIO101
                    head = fh.read(16)  # expect: BIO104
                    for line in fh:  # expect: BIO104
                        pass
                    fh.close()  # ok: close is not a blocking target
                    return head
            """,
        },
    )


def test_http_clients_module_level_attribute_and_local(tmp_path):
    check(
        tmp_path,
        {
            "clients.py": """
                import httpx
                import requests

                SESSION = requests.Session()

                class Weather:
                    def __init__(self):
                        self.client = httpx.Client(timeout=5)
                        self.aclient = httpx.AsyncClient(timeout=5)

                    async def today(self, city):
                        return self.client.get("/w", params={"q": city}).json()  # expect: BIO407

                    async def today_async(self, city):
                        return (await self.aclient.get("/w", params={"q": city})).json()  # ok

                async def ping(url):
                    return SESSION.get(url, timeout=1).status_code  # expect: BIO406

                async def direct(url):
                    requests.post(url, json={})  # expect: BIO406
                    with httpx.Client() as c:
                        c.get(url)  # expect: BIO407
            """,
        },
    )


def test_name_collisions_are_not_findings(tmp_path):
    check(
        tmp_path,
        {
            "collisions.py": """
                import redis
                import redis.asyncio as aredis

                SYNC = redis.Redis()
                ASYNC = aredis.Redis()

                class Store:
                    async def read_text(self):
                        return "x"

                    async def exists(self, key):
                        return True

                async def cache_lookup(key, store: Store):
                    await ASYNC.exists(key)  # ok: asyncio client
                    await store.read_text()  # ok: an async method named like Path.read_text
                    await store.exists(key)  # ok
                    SYNC.exists(key)  # expect: BIO505
            """,
        },
    )
