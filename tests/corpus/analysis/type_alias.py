# feature: type-alias
"""Union aliases as return annotations (`Union[A, B]`, `A | B`, `TypeAlias`): the receiver
may be any member of the alias (`None` is none: `X | None` is an X)."""

from pathlib import Path
from typing import TypeAlias, Union


class FileStore:
    def load(self) -> str:
        return Path("/srv/store.json").read_text()  # ok: reported at the async call site


class DbStore:
    def load(self) -> str:
        return "{}"  # ok: in memory


class MemoryStore:
    def load(self) -> str:
        return "{}"  # ok: in memory


AnyStore = Union[FileStore, DbStore]
PipeStore = FileStore | DbStore
NamedStore: TypeAlias = "FileStore | DbStore"
CachedStore = Union[MemoryStore, None]
STORES: dict[str, type] = {"file": FileStore, "db": DbStore, "memory": MemoryStore}


def open_store(kind: str) -> AnyStore:
    return STORES[kind]()  # the class is chosen at run time


def open_pipe_store(kind: str) -> PipeStore:
    return STORES[kind]()  # the class is chosen at run time


def open_named_store(kind: str) -> NamedStore:
    return STORES[kind]()  # the class is chosen at run time


def cached_store(kind: str) -> CachedStore:
    return STORES[kind]()  # the class is chosen at run time


async def load_any() -> str:
    return open_store("file").load()  # expect: BIO102


async def load_pipe() -> str:
    return open_pipe_store("file").load()  # expect: BIO102


async def load_named() -> str:
    return open_named_store("file").load()  # expect: BIO102


async def load_cached() -> str:
    return cached_store("file").load()  # ok: MemoryStore.load is in memory
