# feature: direct
"""Blocking calls written directly in async functions, in every statement position."""

import asyncio
import json
import os
import subprocess
import time
from pathlib import Path

from aiohttp import web

CONFIG = Path("/etc/relay/config.json")
LOCK = Path("/run/relay/deploy.lock")
LIMIT = 1 << 20
routes = web.RouteTableDef()


@routes.get("/config")
async def get_config(request: web.Request) -> web.Response:
    return web.json_response(json.loads(CONFIG.read_text()))  # expect: BIO102


@routes.put("/config")
async def put_config(request: web.Request) -> web.Response:
    body = await request.text()  # ok: aiohttp Request.text is a coroutine
    try:
        CONFIG.write_text(body)  # expect: BIO103
    except OSError:
        CONFIG.with_suffix(".rejected").write_text(body)  # expect: BIO103
        raise
    finally:
        LOCK.unlink(missing_ok=True)  # expect: BIO110
    return web.Response(status=204)


async def wait_for_deploy() -> None:
    while LOCK.exists():  # expect: BIO106
        await asyncio.sleep(0.5)  # ok: asyncio.sleep


async def load_all(paths: list[str]) -> list[dict]:
    return [json.load(open(p)) for p in paths]  # expect: BIO101, BIO115


async def current_config() -> str:
    return CONFIG.read_text() if CONFIG.exists() else "{}"  # expect: BIO102, BIO106


async def describe() -> str:
    return f"config is {CONFIG.stat().st_size} bytes"  # expect: BIO106


async def push(send) -> None:
    await send(CONFIG.read_bytes())  # expect: BIO102


async def check_size(path: str) -> bool:
    if (size := os.path.getsize(path)) > LIMIT:  # expect: BIO106
        return False
    return size > 0


async def deploy() -> None:
    subprocess.run(  # expect: BIO201
        ["git", "pull", "--ff-only"],
        check=True,
    )


async def relay(ws) -> None:
    async for message in ws:  # ok: unresolved async iterator
        with open("/var/log/relay/ws.log", "a") as fh:  # expect: BIO101
            fh.write(str(message))  # listed: BIO105


async def supervisor() -> None:
    async def heartbeat() -> None:
        time.sleep(1)  # expect: BIO301

    await heartbeat()  # ok: the finding is inside the awaited coroutine


class Deployer:
    async def rollback(self, release: Path) -> None:
        release.rename(release.with_name("failed"))  # expect: BIO111


async def banner(text: str = CONFIG.read_text()) -> str:  # ok: defaults are evaluated at import
    return text.upper()  # ok: str method


def sync_deploy() -> None:
    subprocess.run(["git", "pull"], check=True)  # ok: sync function, never called from the loop
