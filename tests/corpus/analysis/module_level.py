# feature: module-level
"""Code that runs at import time is never a finding, even in a module full of async code."""

import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent  # ok: module-level code runs at import
SETTINGS = json.loads((BASE / "settings.json").read_text())  # ok: module-level code runs at import
VERSION = subprocess.check_output(["git", "describe"], text=True).strip()  # ok: module-level code runs at import
os.makedirs("/var/lib/relay", exist_ok=True)  # ok: module-level code runs at import
DB = sqlite3.connect("/var/lib/relay/app.db")  # ok: module-level code runs at import
STARTED = time.time()  # ok: clock read

if not (BASE / "static").is_dir():  # ok: module-level code runs at import
    time.sleep(0.1)  # ok: module-level code runs at import


class Config:
    TEMPLATE = (BASE / "template.txt").read_text()  # ok: class bodies run at import


async def version() -> dict:
    return {"version": VERSION, "uptime": time.time() - STARTED}  # ok: no blocking call


async def template() -> str:
    return Config.TEMPLATE  # ok: attribute read, computed at import


async def settings_size() -> int:
    return (BASE / "settings.json").stat().st_size  # expect: BIO106
