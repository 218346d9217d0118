# feature: tempfile
"""Scratch files for document conversion created on the event loop."""

import asyncio
import tempfile


async def convert(doc: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".docx", delete=False) as tmp:  # expect: BIO113
        name = tmp.name
    return name


async def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="convert-")  # expect: BIO113


async def scratch_file() -> tuple[int, str]:
    return tempfile.mkstemp(suffix=".pdf")  # expect: BIO113


async def workdir():
    return tempfile.TemporaryDirectory()  # expect: BIO113


async def spool():
    return tempfile.TemporaryFile()  # expect: BIO113


async def scratch_dir_offloaded() -> str:
    return await asyncio.to_thread(tempfile.mkdtemp, prefix="convert-")  # ok: offloaded by reference
