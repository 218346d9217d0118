# feature: module-singleton
"""Async webhook handlers using the module-level store and annotated settings."""

from .settings import Settings, get_settings
from .store import STORE, DeliveryStore


async def deliver(hook_id: str, body: dict) -> None:
    STORE.spool(hook_id, body)  # expect: BIO103
    STORE.record(hook_id, 202)  # expect: BIO501


async def purge_spool(settings: Settings) -> int:
    count = 0
    for path in settings.spool_dir.glob("*.json"):  # expect: BIO108
        count += 1
    return count


async def spool_ready() -> bool:
    return get_settings().spool_dir.is_dir()  # expect: BIO106


async def replay(store: DeliveryStore, hook_id: str) -> None:
    store.record(hook_id, 200)  # expect: BIO501


async def describe() -> str:
    return str(STORE.path)  # ok: attribute read
