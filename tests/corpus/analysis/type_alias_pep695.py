# feature: type-alias
# python: 3.12
"""PEP 695 (`type X = A | B`, generic `def f[T]()` and `class C[T]`): a `type` statement
is an alias like `X: TypeAlias = A | B`; the receiver may be any member."""

from pathlib import Path


class FileStore:
    def load(self) -> str:
        return Path("/srv/store.json").read_text()  # ok: reported at the async call site


class DbStore:
    def load(self) -> str:
        return "{}"  # ok: in memory


class MemoryStore:
    def load(self) -> str:
        return "{}"  # ok: in memory


type AnyStore = FileStore | DbStore
type CachedStore = MemoryStore | None
type Lazy = "FileStore"
STORES: dict[str, type] = {"file": FileStore, "db": DbStore, "memory": MemoryStore}


def open_store(kind: str) -> AnyStore:
    return STORES[kind]()  # the class is chosen at run time


def cached_store(kind: str) -> CachedStore:
    return STORES[kind]()  # the class is chosen at run time


def lazy_store(kind: str) -> Lazy:
    return STORES[kind]()  # the class is chosen at run time


def first[T](items: list[T]) -> T:
    return items[0]


class Box[T]:
    def __init__(self, item: T) -> None:
        self.item = item

    def path(self) -> Path:
        return Path("/srv") / "box"


async def load_any() -> str:
    return open_store("file").load()  # expect: BIO102


async def load_lazy() -> str:
    return lazy_store("file").load()  # expect: BIO102


async def load_cached() -> str:
    return cached_store("memory").load()  # ok: MemoryStore.load is in memory


async def generic_box(box: Box[str]) -> bool:
    return box.path().exists()  # expect: BIO106


async def generic_first(names: list[str]) -> str:
    return first(names).replace("-", "_")  # ok: a str method; T is no type we know
