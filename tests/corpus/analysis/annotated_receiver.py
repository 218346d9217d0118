# feature: annotated-receiver
"""Receiver types taken from annotations: parameters, attributes, return types."""

import sqlite3
from pathlib import Path
from typing import Optional

from pydantic import BaseModel


class Settings(BaseModel):
    data_dir: Path
    name: str


class Repo:
    db: sqlite3.Connection

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    async def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM jobs").fetchone()[0]  # expect: BIO501


def workspace(settings: Settings) -> Path:
    return settings.data_dir / "workspace"  # ok: pure path arithmetic


async def ensure_workspace(settings: Settings) -> None:
    workspace(settings).mkdir(exist_ok=True)  # expect: BIO109


async def cleanup(settings: Settings) -> None:
    for old in settings.data_dir.glob("*.tmp"):  # expect: BIO108
        print(old)


async def maybe_read(path: Optional[Path]) -> str:
    if path is None:
        return ""
    return path.read_text()  # expect: BIO102


async def read_either(path: Path | None) -> bytes:
    return path.read_bytes() if path else b""  # expect: BIO102


async def rename_job(settings: Settings, new: str) -> str:
    return settings.name.replace("job", new)  # ok: str.replace on a str attribute


async def local_annotation(raw: str) -> bool:
    target: Path = Path(raw)
    return target.is_dir()  # expect: BIO106


class Uploads:
    def __init__(self) -> None:
        self.paths: list[Path] = []  # the annotation types the elements, not the `[]`
        self.names: list[str] = []

    async def purge(self) -> None:
        for index, path in enumerate(self.paths):
            path.unlink()  # expect: BIO110
        for name, path in zip(self.names, self.paths):
            name.replace("-", "_")  # ok: str.replace on an element of a list[str]
            path.exists()  # expect: BIO106
        return [p.stat() for _, p in enumerate(self.paths)]  # expect: BIO106
