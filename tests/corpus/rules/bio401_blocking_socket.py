# feature: blocking-socket
"""A metrics forwarder that talks to statsd / a TCP collector with blocking sockets."""

import asyncio
import socket

COLLECTOR = ("127.0.0.1", 8125)


async def send_metric(line: str) -> None:
    sock = socket.create_connection(COLLECTOR, timeout=1)  # expect: BIO401
    sock.sendall(line.encode())  # listed: BIO401
    sock.close()  # ok: close does not wait


async def probe(host: str, port: int) -> bool:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # ok: creating a socket does not wait
    try:
        return s.connect_ex((host, port)) == 0  # expect: BIO401
    finally:
        s.close()  # ok: close does not wait


async def read_banner(conn: socket.socket) -> bytes:
    return conn.recv(1024)  # ok: the annotation alone does not say the socket is blocking


async def serve_once(listener: socket.socket) -> socket.socket:
    conn, _addr = listener.accept()  # ok: the annotation alone does not say the socket is blocking
    return conn


async def greet(host: str) -> None:
    conn = socket.create_connection((host, 7))  # expect: BIO401
    conn.send(b"hello\n")  # listed: BIO401
    conn.recv(64)  # listed: BIO401


async def send_metric_async(line: str) -> None:
    _reader, writer = await asyncio.open_connection(*COLLECTOR)  # ok: asyncio streams
    writer.write(line.encode())  # ok: StreamWriter.write buffers, never blocks
    await writer.drain()  # ok: coroutine


async def read_banner_loop(conn: socket.socket) -> bytes:
    loop = asyncio.get_running_loop()
    return await loop.sock_recv(conn, 1024)  # ok: loop.sock_recv is a coroutine
