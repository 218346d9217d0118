# feature: blocking-select
"""A hand-written poll loop for a serial bridge, called from async code."""

import select
import selectors
import socket


async def wait_readable(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 1.0)  # expect: BIO403
    return bool(readable)


async def poll_devices(sel: selectors.DefaultSelector) -> list:
    return sel.select(timeout=0.5)  # expect: BIO403


async def poll_once(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)  # ok: a zero timeout only polls
    return bool(readable)


async def register(sel: selectors.DefaultSelector, sock: socket.socket) -> None:
    sel.register(sock, selectors.EVENT_READ)  # ok: registering does not wait
