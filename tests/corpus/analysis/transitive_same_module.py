# feature: transitive-same-module
"""Sync helpers in the same module called from async code: one finding per call site."""

import json
from pathlib import Path

from fastapi import FastAPI

app = FastAPI()
SKILLS = Path("/opt/agent/skills")


def _read_manifest(name: str) -> dict:
    return json.loads((SKILLS / name / "manifest.json").read_text())  # ok: reported at the async call sites


def _manifest_and_size(name: str) -> tuple[dict, int]:
    path = SKILLS / name / "manifest.json"
    return _read_manifest(name), path.stat().st_size  # ok: reported at the async call sites


def _title(manifest: dict) -> str:
    return manifest.get("title", "untitled")  # ok: pure helper


@app.get("/skills/{name}")
async def get_skill(name: str) -> dict:
    manifest = _read_manifest(name)  # expect: BIO102
    return {"name": name, "title": _title(manifest)}  # ok: the helper is pure


@app.get("/skills/{name}/size")
async def get_skill_size(name: str) -> dict:
    _manifest, size = _manifest_and_size(name)  # expect: BIO102
    return {"size": size}


@app.get("/skills/{name}/title")
async def get_skill_title(name: str) -> str:
    return _title(_read_manifest(name))  # expect: BIO102


async def run_skill(name: str) -> None:
    def load_inline() -> dict:
        return json.loads((SKILLS / name / "inputs.json").read_text())  # ok: reported at the call below

    inputs = load_inline()  # expect: BIO102
    print(inputs)


def cli_show(name: str) -> None:
    print(_read_manifest(name))  # ok: sync entry point (CLI)
