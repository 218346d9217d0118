# feature: rule-selection
# config: ignore = ["BIO106", "BIO302"]
"""ignore = [...] turns rules off for the project; the other rules stay on."""

import os
import threading
from pathlib import Path

LOCK = threading.Lock()
DATA = Path("/srv/data")


async def status(name: str) -> dict:
    exists = os.path.exists(DATA / name)  # ok: BIO106 is ignored by the config
    with LOCK:  # ok: BIO302 is ignored by the config
        size = (DATA / name).stat().st_size if exists else 0  # ok: BIO106 is ignored by the config
    return {"exists": exists, "size": size}


async def read(name: str) -> bytes:
    return (DATA / name).read_bytes()  # expect: BIO102
