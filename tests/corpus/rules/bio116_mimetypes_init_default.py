# feature: mimetypes-init
"""BIO116 is off by default: the same calls are not findings without `extend-select`."""

import mimetypes


async def content_type(name: str) -> str:
    ctype, _ = mimetypes.guess_type(name)  # ok: BIO116 is opt-in (off by default)
    return ctype or "application/octet-stream"


async def extension_for(content_type: str) -> str | None:
    return mimetypes.guess_extension(content_type)  # ok: BIO116 is opt-in (off by default)
