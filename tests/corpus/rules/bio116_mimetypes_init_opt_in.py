# feature: mimetypes-init
# config: extend-select = ["BIO116"]
"""BIO116 is opt-in: with extend-select, guessing content types on the loop is reported."""

import mimetypes

from starlette.requests import Request
from starlette.responses import Response


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    ctype, _ = mimetypes.guess_type(name)  # expect: BIO116
    return Response(b"", media_type=ctype or "application/octet-stream")


async def extension_for(content_type: str) -> str | None:
    return mimetypes.guess_extension(content_type)  # expect: BIO116


def warm_mimetypes() -> None:
    mimetypes.init()  # ok: called once at start-up from sync code


warm_mimetypes()  # ok: module-level code runs at import
