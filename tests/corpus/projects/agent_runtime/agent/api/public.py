# feature: reexport
"""Names imported from the package root resolve to the modules that define them."""

from agent import load_blob, load_transcript, transcript_location


async def transcript(run_id: str) -> list:
    return load_transcript(run_id)  # expect: BIO102


async def blob(blob_id: str) -> bytes:
    return load_blob(blob_id)  # expect: BIO102


async def location(run_id: str) -> str:
    return transcript_location(run_id)  # ok: the re-exported helper is pure
