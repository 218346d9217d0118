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


class NotAProtocol:
    def data_received(self, data: bytes) -> None:
        append_log(data)  # ok: not a Protocol subclass: nothing says the loop runs it
