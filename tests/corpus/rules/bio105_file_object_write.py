# feature: file-object-write
"""An audit trail appended to a local file from aiohttp handlers."""

import io
import json

from aiohttp import web

AUDIT_LOG = "/var/log/relay/audit.jsonl"


async def record_event(request: web.Request) -> web.Response:
    event = await request.json()  # ok: aiohttp Request.json is a coroutine
    with open(AUDIT_LOG, "a") as fh:  # expect: BIO101
        fh.write(json.dumps(event) + "\n")  # listed: BIO105
        fh.flush()  # listed: BIO105
    return web.json_response({"ok": True})


async def rewrite_log(lines: list[str], fh: io.TextIOWrapper) -> None:
    fh.truncate(0)  # expect: BIO105
    fh.writelines(lines)  # expect: BIO105


async def build_report(events: list[dict]) -> bytes:
    out = io.StringIO()  # ok: in-memory buffer
    out.writelines(json.dumps(e) + "\n" for e in events)  # ok: StringIO writes memory
    return out.getvalue().encode()  # ok: in-memory buffer
