# feature: framework-asyncio
"""asyncio Protocol callbacks: the transport calls them on the loop, no registration needed."""

import asyncio
import json
import subprocess
import time
from asyncio.protocols import DatagramProtocol
from pathlib import Path

LOG = Path("/var/log/relay/wire.log")
SPOOL = Path("/var/spool/relay")


def append_log(data: bytes) -> None:
    with open(LOG, "ab") as fh:  # ok: reported at the protocol callback's call site
        fh.write(data)  # ok: reported at the protocol callback's call site


class Relay(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.peers = json.loads((SPOOL / "peers.json").read_text())  # expect: BIO102

    def data_received(self, data: bytes) -> None:
        append_log(data)  # expect: BIO101

    def eof_received(self) -> bool:
        time.sleep(0.1)  # expect: BIO301
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.peers = {}  # ok: no IO

    def dump(self) -> None:
        (SPOOL / "dump.json").write_text(json.dumps(self.peers))  # ok: no framework runs dump


class Framed(Relay):
    def data_received(self, data: bytes) -> None:
        self.buffer = data  # ok: in memory


class Beacon(DatagramProtocol):
    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        (SPOOL / "beacon").write_bytes(data)  # expect: BIO103

    def error_received(self, exc: Exception) -> None:
        print(exc)  # ok: print is not a rule target


class Child(asyncio.SubprocessProtocol):
    def pipe_data_received(self, fd: int, data: bytes) -> None:
        subprocess.run(["logger", data.decode()])  # expect: BIO201

    def process_exited(self) -> None:
        self.done = True  # ok: no IO

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        (SPOOL / f"pipe-{fd}.closed").write_text(str(exc))  # expect: BIO103

    def pause_writing(self) -> None:
        time.sleep(0.01)  # expect: BIO301

    def resume_writing(self) -> None:
        self.paused = False  # ok: no IO


class NotAProtocol:
    def data_received(self, data: bytes) -> None:
        append_log(data)  # ok: not a Protocol subclass: nothing says the loop runs it


class Reader(asyncio.BufferedProtocol):
    def get_buffer(self, sizehint: int) -> bytearray:
        self.chunk = bytearray(SPOOL.joinpath("template.bin").read_bytes())  # expect: BIO102
        return self.chunk

    def buffer_updated(self, nbytes: int) -> None:
        self.size = nbytes  # ok: no IO


def _on_readable() -> None:
    (SPOOL / "ready").touch()  # expect: BIO109


def _on_writable() -> None:
    time.sleep(0.01)  # expect: BIO301


def _deadline() -> None:
    subprocess.run(["sync"])  # expect: BIO201


def _from_thread() -> None:
    (SPOOL / "queue").read_text()  # expect: BIO102


def _future_done(fut: asyncio.Future) -> None:
    (SPOOL / "result").write_text(str(fut.result()))  # expect: BIO103


def _noop(*args: object) -> None:
    return None  # ok: no IO


async def watch(sock_fd: int) -> None:
    loop = asyncio.get_running_loop()
    loop.add_reader(sock_fd, _on_readable)  # ok: the callback's body is where it blocks
    loop.add_writer(sock_fd, _on_writable)  # ok: the callback's body is where it blocks
    loop.call_at(loop.time() + 5, _deadline)  # ok: the callback's body is where it blocks
    loop.call_soon_threadsafe(_from_thread)  # ok: the callback's body is where it blocks
    loop.add_reader(sock_fd, _noop)  # ok: the callback does no IO
    fut: asyncio.Future = loop.create_future()
    fut.add_done_callback(_future_done)  # ok: the callback's body is where it blocks
    fut.add_done_callback(_noop)  # ok: the callback does no IO
