# feature: blocking-dns
"""Webhook URL validation that resolves host names on the loop."""

import asyncio
import socket
from urllib.parse import urlsplit


async def validate_webhook(url: str) -> bool:
    host = urlsplit(url).hostname or ""  # ok: URL parsing, no IO
    addr = socket.gethostbyname(host)  # expect: BIO402
    return not addr.startswith("10.")


async def resolve_all(host: str) -> list:
    return socket.getaddrinfo(host, 443)  # expect: BIO402


async def own_name() -> str:
    return socket.getfqdn()  # expect: BIO402


async def parse_literal(ip: str) -> list:
    return socket.getaddrinfo(ip, 443, flags=socket.AI_NUMERICHOST)  # ok: AI_NUMERICHOST never resolves


async def resolve_async(host: str) -> list:
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, 443)  # ok: loop.getaddrinfo is a coroutine
