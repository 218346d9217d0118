# feature: sync-file-open
"""Upload and export endpoints of a FastAPI service that open files on the event loop."""

import bz2
import codecs
import gzip
import io
import lzma
import os
from pathlib import Path

import aiofiles
import anyio
from fastapi import FastAPI, UploadFile
from fastapi.responses import StreamingResponse

app = FastAPI()
UPLOAD_DIR = Path("/srv/uploads")
EXPORT_DIR = Path("/srv/exports")


@app.post("/uploads/{name}")
async def save_upload(name: str, file: UploadFile):
    data = await file.read()  # ok: UploadFile.read is a coroutine
    with open(UPLOAD_DIR / name, "wb") as out:  # expect: BIO101
        out.write(data)  # listed: BIO105
    return {"size": len(data)}


@app.get("/exports/{name}.jsonl")
async def stream_export(name: str):
    fh = gzip.open(EXPORT_DIR / f"{name}.jsonl.gz", "rt")  # expect: BIO101
    return StreamingResponse(fh, media_type="application/x-ndjson")


async def load_legacy_notes(path: Path):
    handle = codecs.open(str(path), encoding="latin-1")  # expect: BIO101
    return handle


async def open_archive(name: str):
    if name.endswith(".bz2"):
        return bz2.open(EXPORT_DIR / name)  # expect: BIO101
    return lzma.open(EXPORT_DIR / name)  # expect: BIO101


async def open_report(name: str):
    return io.open(EXPORT_DIR / name, encoding="utf-8")  # expect: BIO101


async def tail_access_log(path: Path):
    return path.open("rb")  # expect: BIO101


async def read_header(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY)  # expect: BIO101
    try:
        return os.read(fd, 512)  # expect: BIO112
    finally:
        os.close(fd)  # ok: closing a descriptor is not a rule target


async def wrap_pipe(fd: int):
    return os.fdopen(fd, "w")  # expect: BIO101


async def save_upload_async(name: str, data: bytes):
    async with aiofiles.open(UPLOAD_DIR / name, "wb") as out:  # ok: aiofiles opens in a thread
        await out.write(data)  # ok: aiofiles file methods are coroutines


async def read_upload_anyio(name: str) -> bytes:
    async with await anyio.open_file(UPLOAD_DIR / name, "rb") as fh:  # ok: anyio.open_file is async
        return await fh.read()  # ok: anyio AsyncFile.read is a coroutine


async def render_csv(rows: list[dict]) -> str:
    buf = io.StringIO()  # ok: in-memory buffer, no IO
    for row in rows:
        buf.write(",".join(str(v) for v in row.values()) + "\n")  # ok: StringIO.write is in memory
    return buf.getvalue()  # ok: in-memory buffer


def export_sync(name: str, payload: bytes) -> None:
    with open(EXPORT_DIR / name, "wb") as out:  # ok: sync function, never called from the loop
        out.write(payload)  # ok: sync function, never called from the loop


async def load_hook_source(name: str) -> bytes:
    with io.open_code(str(UPLOAD_DIR / name)) as f:  # expect: BIO101
        return f.read()  # listed: BIO104


async def hook_source_in_memory(data: bytes) -> bytes:
    return io.BytesIO(data).getvalue()  # ok: an in-memory buffer, no file
