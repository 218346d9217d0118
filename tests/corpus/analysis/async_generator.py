# feature: async-generator
"""Async generators are loop code: their blocking calls are findings."""

import json
from pathlib import Path

import aiofiles


async def stream_jsonl(path: Path):
    with open(path) as fh:  # expect: BIO101
        for line in fh:  # listed: BIO104
            yield json.loads(line)


async def stream_chunks(path: Path, size: int = 65536):
    async with aiofiles.open(path, "rb") as fh:  # ok: aiofiles
        while chunk := await fh.read(size):  # ok: aiofiles read is a coroutine
            yield chunk


async def stream_dir(root: Path):
    for entry in root.iterdir():  # expect: BIO108
        yield entry.name
