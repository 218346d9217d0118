# feature: path-read
"""Prompt templates and skill manifests read with pathlib inside async handlers."""

import asyncio
import json
from pathlib import Path

import anyio

PROMPTS = Path(__file__).parent / "prompts"
SKILLS_ROOT = Path("/opt/agent/skills")


async def get_prompt(name: str) -> str:
    return (PROMPTS / f"{name}.md").read_text(encoding="utf-8")  # expect: BIO102


async def load_manifest(skill: str) -> dict:
    manifest = SKILLS_ROOT / skill / "manifest.json"
    return json.loads(manifest.read_text())  # expect: BIO102


async def avatar_bytes(user_dir: Path) -> bytes:
    return (user_dir / "avatar.png").read_bytes()  # expect: BIO102


async def load_system_prompt(path: Path) -> str:
    text = path.read_text()  # expect: BIO102
    return text.strip()  # ok: str.strip


async def get_prompt_offloaded(name: str) -> str:
    return await asyncio.to_thread((PROMPTS / f"{name}.md").read_text)  # ok: offloaded by reference


async def get_prompt_anyio(name: str) -> str:
    return await anyio.Path(PROMPTS / f"{name}.md").read_text()  # ok: anyio.Path.read_text is async


def load_defaults() -> dict:
    return json.loads((PROMPTS / "defaults.json").read_text())  # ok: sync, only called at start-up


DEFAULTS = load_defaults()  # ok: module-level code runs at import
