# feature: suppression
"""`# blocking-io: ignore[...]` on the finding's line, on the def line of a loop root, and on a
chain line inside a helper. Suppressed findings stay in the JSON with `suppressed` set."""

import json
import os
from pathlib import Path

CONFIG = Path("/etc/agent/config.json")


def read_small_config() -> dict:
    return json.loads(CONFIG.read_text())  # blocking-io: ignore[BIO102] tiny file on tmpfs, read once per request


async def config_line() -> dict:
    return json.loads(CONFIG.read_text())  # blocking-io: ignore[BIO102] tiny file on tmpfs  # expect-suppressed: BIO102


async def config_wrong_rule() -> dict:
    return json.loads(CONFIG.read_text())  # blocking-io: ignore[BIO106] wrong rule id  # expect: BIO102


async def health() -> dict:  # blocking-io: ignore[BIO106] stat of local files only
    up = CONFIG.exists()  # expect-suppressed: BIO106
    pid = os.path.exists("/run/agent.pid")  # expect-suppressed: BIO106
    cfg = CONFIG.read_text()  # expect: BIO102
    return {"up": up, "pid": pid, "cfg": cfg}


async def handler_one() -> dict:
    return read_small_config()  # expect-suppressed: BIO102


async def handler_two() -> dict:
    return read_small_config()  # expect-suppressed: BIO102
