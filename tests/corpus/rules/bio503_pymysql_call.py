# feature: pymysql-call
"""A legacy key-value table in MySQL read with PyMySQL from async code."""

import pymysql
import pymysql.connections
import pymysql.cursors


async def open_db() -> pymysql.connections.Connection:
    return pymysql.connect(host="mysql", user="relay", database="kv")  # expect: BIO503


async def load(cur: pymysql.cursors.Cursor, key: str):
    cur.execute("SELECT v FROM kv WHERE k=%s", (key,))  # expect: BIO503
    return cur.fetchone()  # expect: BIO503


async def save(conn: pymysql.connections.Connection) -> None:
    conn.commit()  # expect: BIO503


async def escape(conn: pymysql.connections.Connection, value: str) -> str:
    return conn.escape_string(value)  # ok: string escaping, no round trip
