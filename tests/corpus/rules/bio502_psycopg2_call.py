# feature: psycopg2-call
"""Order statistics read from PostgreSQL with psycopg2 in async handlers."""

import asyncpg
import psycopg2
import psycopg2.extensions

DSN = "postgresql://relay@db/relay"


async def connect() -> psycopg2.extensions.connection:
    return psycopg2.connect(DSN)  # expect: BIO502


async def count_orders(cur: psycopg2.extensions.cursor) -> int:
    cur.execute("SELECT count(*) FROM orders")  # expect: BIO502
    return cur.fetchone()[0]  # expect: BIO502


async def finish(conn: psycopg2.extensions.connection) -> None:
    conn.commit()  # expect: BIO502


async def count_orders_asyncpg(pool: asyncpg.Pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM orders")  # ok: asyncpg is async
