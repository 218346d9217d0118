# feature: union-dispatch
"""A receiver typed by a union (`A | B`, `Optional`, `Union[...]`, an alias) may be any
member: each member that defines the method is a candidate, and the finding names it."""

from pathlib import Path
from typing import Optional, Union

import httpx


class MemoryCache:
    def load(self) -> str:
        return "{}"  # ok: in memory

    def close(self) -> None:
        pass


class DiskCache:
    def load(self) -> str:
        return Path("/srv/cache.json").read_text()  # ok: reported at the async call site


class NullCache:
    def load(self) -> str:
        return ""  # ok: in memory


AnyCache = Union[MemoryCache, DiskCache]


async def load_pipe(cache: MemoryCache | DiskCache) -> str:
    return cache.load()  # expect: BIO102


async def load_union(cache: Union[MemoryCache, DiskCache]) -> str:
    return cache.load()  # expect: BIO102


async def load_alias(cache: AnyCache) -> str:
    return cache.load()  # expect: BIO102


async def load_optional(cache: Optional[DiskCache]) -> str:
    return cache.load() if cache else ""  # expect: BIO102


async def close_either(cache: MemoryCache | DiskCache) -> None:
    cache.close()  # ok: only MemoryCache defines close, and it does no IO


async def load_in_memory(cache: MemoryCache | NullCache | None) -> str:
    return cache.load() if cache else ""  # ok: no member's load does IO


async def name_or_path(where: str | Path) -> str:
    return where.read_text() if isinstance(where, Path) else where  # expect: BIO102


async def text_or_list(value: str | list[str]) -> int:
    return value.count("a")  # ok: str.count and list.count do no IO


class StreamBase:
    def stream_start(self) -> None:
        pass


class ConsoleStream(StreamBase):
    def stream_start(self) -> None:
        open("/dev/tty", "w").write("\n")  # ok: reported at the async call site


class QueueStream(StreamBase):
    def stream_start(self) -> None:
        pass


class Agent:
    interface: ConsoleStream | QueueStream | None


async def console(agent: Agent) -> None:
    agent.interface.stream_start()  # expect: BIO101


async def narrowed(agent: Agent) -> None:
    stream = agent.interface
    if not isinstance(stream, QueueStream):
        raise ValueError("wrong interface")
    stream.stream_start()  # ok: isinstance proved a QueueStream, whose stream_start is a no-op


async def narrowed_inline(agent: Agent) -> None:
    stream = agent.interface
    if isinstance(stream, QueueStream):
        stream.stream_start()  # ok: a QueueStream in this branch


async def send(client: "httpx.AsyncClient | httpx.Client") -> None:
    await client.get("https://example.com")  # ok: awaited, so the AsyncClient's get


async def send_sync(client: "httpx.AsyncClient | httpx.Client") -> None:
    client.get("https://example.com")  # expect: BIO407
