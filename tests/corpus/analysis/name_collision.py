# feature: name-collision
"""Project functions, methods and variables named like blocking APIs."""

from pathlib import Path


class Channel:
    def __init__(self) -> None:
        self.buffer: list[bytes] = []

    def read(self) -> bytes:
        return b"".join(self.buffer)  # ok: in-memory

    def write(self, data: bytes) -> None:
        self.buffer.append(data)  # ok: in-memory

    def open(self) -> "Channel":
        return self  # ok: pure


class Clock:
    def sleep(self, seconds: float) -> None:
        self.skipped = seconds  # ok: a fake clock records the sleep


def open_ticket(title: str) -> dict:
    return {"title": title, "state": "open"}  # ok: pure


def load(raw: str) -> list[str]:
    return raw.split(",")  # ok: pure


def run(command: str) -> str:
    return command.upper()  # ok: pure, named like subprocess.run


async def relay(channel: Channel) -> bytes:
    channel.open().write(b"ping")  # ok: Channel.open / Channel.write are in-memory
    return channel.read()  # ok: Channel.read is in-memory


async def tick(clock: Clock) -> None:
    clock.sleep(1.0)  # ok: Clock.sleep is a project method


async def ticket(title: str) -> dict:
    return open_ticket(title)  # ok: project function


async def tags(raw: str) -> list[str]:
    return load(raw)  # ok: project function, not json.load


async def shout(command: str) -> str:
    return run(command)  # ok: project function, not subprocess.run


async def route_path(prefix: str) -> str:
    path = f"{prefix}/items"
    return path.replace("//", "/")  # ok: str.replace


async def real_path(prefix: str) -> bool:
    return Path(prefix).exists()  # expect: BIO106
