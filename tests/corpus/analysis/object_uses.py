# feature: object-uses
"""One finding per place to change: the writes and reads of a file object opened in the same
function are listed on the finding at the `open`, not reported again."""

import io
import json
from typing import TextIO


async def save(path: str, data: dict) -> None:
    with open(path, "w") as fh:  # expect: BIO101
        fh.write(json.dumps(data))  # listed: BIO105


async def load(path: str) -> str:
    fh = open(path)  # expect: BIO101
    try:
        return fh.read()  # listed: BIO104
    finally:
        fh.close()


async def reopened(path: str, other: str) -> str:
    fh = open(path)  # expect: BIO101
    if not fh.readable():  # ok: not a blocking method
        fh = open(other)  # expect: BIO101
    return fh.read()  # expect: BIO104


async def append(fh: io.TextIOWrapper, line: str) -> None:
    fh.write(line)  # expect: BIO105


async def append_any(fh: TextIO, line: str) -> None:
    fh.write(line)  # ok: a TextIO may be an in-memory io.StringIO
