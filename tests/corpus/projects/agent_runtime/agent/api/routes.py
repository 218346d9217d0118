# feature: transitive-cross-module
"""Async routes calling sync helpers through absolute, relative, aliased and re-exported imports."""

import agent.storage.files as blobfiles
from agent import load_blob, load_transcript
from agent.storage import transcripts as tx
from agent.storage.transcripts import transcript_location

from ..storage.files import write_blob


async def get_transcript(run_id: str) -> list:
    return load_transcript(run_id)  # expect: BIO102


async def put_transcript(run_id: str, messages: list) -> None:
    tx.save_transcript(run_id, messages)  # expect: BIO109


async def get_blob(blob_id: str) -> bytes:
    return load_blob(blob_id)  # expect: BIO102


async def put_blob(blob_id: str, data: bytes) -> None:
    write_blob(blob_id, data)  # expect: BIO109


async def get_blob_aliased(blob_id: str) -> bytes:
    return blobfiles.read_blob(blob_id)  # expect: BIO102


async def where(run_id: str) -> str:
    return transcript_location(run_id)  # ok: pure helper


async def where_blob(blob_id: str) -> str:
    return str(blobfiles.blob_path(blob_id))  # ok: pure helper


def export_cli(run_id: str) -> list:
    return load_transcript(run_id)  # ok: sync entry point
