# feature: generator-protocol
"""`flow.send(x)` resumes a generator: its body is reached from the call that made it, and
the send is no socket's or HTTP session's `send` (httpx's auth flows)."""

import socket
import time
import typing

PEER = socket.socket()  # so that `x.send(data)` might be socket.socket.send here


def sleepy_steps(request: bytes) -> typing.Generator[bytes, bytes, None]:
    response = yield request
    time.sleep(0.1)  # ok: reported at the async call site
    yield response


def auth_steps(request: bytes) -> typing.Generator[bytes, bytes, None]:
    response = yield request
    yield response + b"signed"


async def sleepy_flow(request: bytes) -> bytes:
    flow = sleepy_steps(request)  # expect: BIO301
    first = next(flow)
    return flow.send(first)  # ok: resumes the generator; its sleep is reported where it was made


async def auth_flow(request: bytes, response: bytes) -> bytes:
    flow = auth_steps(request)
    next(flow)
    return flow.send(response)  # ok: a generator's send, not socket.socket.send
