# feature: file-object-read
"""Reading from file objects on the event loop: log tailing and upload parsing."""

import io
from typing import TextIO


async def count_errors(log_path: str) -> int:
    errors = 0
    with open(log_path) as fh:  # expect: BIO101
        for line in fh:  # listed: BIO104
            if "ERROR" in line:
                errors += 1
    return errors


async def first_line(path: str) -> str:
    with open(path) as fh:  # expect: BIO101
        return fh.readline()  # listed: BIO104


async def all_lines(path: str) -> list[str]:
    with open(path) as fh:  # expect: BIO101
        return fh.readlines()  # listed: BIO104


async def read_chunk(stream: io.BufferedReader, size: int) -> bytes:
    return stream.read(size)  # expect: BIO104


async def fill(stream: io.BufferedReader, buf: bytearray) -> int:
    return stream.readinto(buf)  # expect: BIO104


async def slurp(raw: io.FileIO) -> bytes:
    return raw.readall()  # expect: BIO104


async def parse_csv_upload(payload: bytes) -> list[str]:
    buf = io.BytesIO(payload)  # ok: in-memory buffer
    header = buf.readline()  # ok: BytesIO reads memory, not a file
    return header.decode().split(",")  # ok: bytes/str methods


async def echo_text(stream: TextIO) -> str:
    return stream.name  # ok: attribute access, no call
