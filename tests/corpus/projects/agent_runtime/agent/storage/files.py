# feature: transitive-cross-module
"""Blob files on disk: sync helpers used from async code in other modules."""

from pathlib import Path

BLOBS = Path("/var/lib/agent/blobs")


def blob_path(blob_id: str) -> Path:
    return BLOBS / blob_id[:2] / blob_id  # ok: pure path arithmetic


def read_blob(blob_id: str) -> bytes:
    return blob_path(blob_id).read_bytes()  # ok: reported at the async call sites


def write_blob(blob_id: str, data: bytes) -> None:
    path = blob_path(blob_id)
    path.parent.mkdir(parents=True, exist_ok=True)  # ok: reported at the async call sites
    path.write_bytes(data)  # ok: reported at the async call sites
