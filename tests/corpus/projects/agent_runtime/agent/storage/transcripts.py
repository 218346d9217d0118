# feature: transitive-cross-module
"""Transcripts stored as JSON next to the blobs (relative imports)."""

import json

from . import files
from .files import blob_path


def load_transcript(run_id: str) -> list:
    return json.loads(files.read_blob(f"transcript-{run_id}"))  # ok: reported at the async call sites


def save_transcript(run_id: str, messages: list) -> None:
    files.write_blob(f"transcript-{run_id}", json.dumps(messages).encode())  # ok: reported at the async call sites


def transcript_location(run_id: str) -> str:
    return str(blob_path(f"transcript-{run_id}"))  # ok: pure helper
