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
                    with conn:  # listed: BIO501
                        conn.execute("DELETE FROM t")  # listed: BIO501

                async def files(path):
                    fh = open(path, "rb")  # expect: BIO101
                    head = fh.read(16)  # listed: BIO104
                    for line in fh:  # listed: BIO104
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


def test_arguments_that_make_a_call_non_blocking(tmp_path):
    check(
        tmp_path,
        {
            "waits.py": """
                import os
                import queue
                import select
                import socket
                import threading

                LOCK = threading.Lock()
                JOBS = queue.Queue()

                def hold(path):
                    with LOCK:
                        open(path).read()  # ok: a thread holds LOCK while it reads

                async def reap(pid):
                    os.waitpid(pid, os.WNOHANG)  # ok: returns at once
                    os.waitpid(pid, 0)  # expect: BIO202

                async def try_lock():
                    if LOCK.acquire(blocking=False):  # ok
                        LOCK.release()
                    LOCK.acquire()  # expect: BIO302

                async def drain():
                    JOBS.get(block=False)  # ok
                    JOBS.get_nowait()  # ok: not a target
                    JOBS.get()  # expect: BIO305

                async def poll(fd):
                    select.select([fd], [], [], 0)  # ok: a zero timeout polls
                    select.select([fd], [], [], 5)  # expect: BIO403

                async def parse_ip(host):
                    socket.getaddrinfo(host, 0, 0, 0, 0, socket.AI_NUMERICHOST)  # ok
                    socket.getaddrinfo(host, 443)  # expect: BIO402
            """,
        },
    )


def test_annotations_that_do_not_prove_blocking(tmp_path):
    check(
        tmp_path,
        {
            "uploads.py": """
                import socket
                import tempfile
                from typing import BinaryIO

                class SpooledUpload(tempfile.SpooledTemporaryFile[bytes]):
                    pass

                async def store(fileobj: BinaryIO, data: bytes):
                    fileobj.write(data)  # ok: may be a BytesIO

                async def echo(sock: socket.socket):
                    sock.recv(1024)  # ok: may be a non-blocking socket

                async def spool(data: bytes):
                    tmp = SpooledUpload(1024)
                    tmp.write(data)  # ok: in memory until it rolls over

                async def connect(host):
                    sock = socket.create_connection((host, 80))  # expect: BIO401
                    sock.sendall(b"PING")  # listed: BIO401

                async def opened(path):
                    with open(path, "wb") as fh:  # expect: BIO101
                        fh.write(b"x")  # listed: BIO105
            """,
        },
    )


def test_datagram_sockets_do_not_block_on_connect(tmp_path):
    check(
        tmp_path,
        {
            "net.py": """
                import socket

                async def source_ip(target):
                    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    sock.connect((target, 9))  # ok: UDP connect only sets the peer
                    return sock.getsockname()[0]

                async def probe(host, port):
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    sock.connect((host, port))  # expect: BIO401
            """,
        },
    )
