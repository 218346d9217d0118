# feature: receiver-type
"""The receiver's type decides: same method names on str, dict, unknown objects and Path."""

import os
from pathlib import Path, PurePosixPath

BASE = Path("/srv/data")


async def normalise(name: str) -> str:
    return name.replace("\\", "/")  # ok: str.replace


async def move(src: Path, dst: Path) -> None:
    src.replace(dst)  # expect: BIO111


async def move_names(src: str, dst: str) -> str:
    return src.replace(dst, "")  # ok: str.replace


async def lookup(headers: dict, key: str) -> str | None:
    return headers.get(key)  # ok: dict.get


async def probe(obj) -> bool:
    return obj.exists()  # ok: unknown receiver


async def pure(name: str) -> str:
    return str(PurePosixPath(name).with_suffix(".md"))  # ok: PurePath has no IO


async def data_file(name: str) -> bool:
    return (BASE / name).exists()  # expect: BIO106


async def returned_path(name: str) -> bool:
    return (BASE / name).with_suffix(".json").is_file()  # expect: BIO106


async def env(name: str) -> str | None:
    return os.environ.get(name)  # ok: mapping lookup
