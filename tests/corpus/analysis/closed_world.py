# feature: closed-world
# config: closed-world = true
"""With `closed-world = true` (an application, not a library), a method of a class that
nothing in the program constructs, names or registers never runs: not a finding."""

from pathlib import Path


class Storage:
    def load(self, key: str) -> str:
        raise NotImplementedError


class DiskStorage(Storage):
    def load(self, key: str) -> str:
        return Path(key).read_text()  # ok: reported at the async call site


class LegacyStorage(Storage):
    def load(self, key: str) -> str:
        return Path("/legacy", key).read_text()  # ok: nothing constructs LegacyStorage


STORE = DiskStorage()


async def fetch(key: str) -> str:
    return STORE.load(key)  # expect: BIO102


async def fetch_legacy(store: LegacyStorage, key: str) -> str:
    return store.load(key)  # ok: LegacyStorage is never constructed: dead code


ROUTES = {"/fetch": fetch, "/legacy": fetch_legacy}  # registered: both may run
