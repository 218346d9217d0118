# feature: directory-listing
"""Skill and plugin discovery that lists directories from async code."""

import asyncio
import glob
import os
from pathlib import Path

SKILLS = Path("/opt/agent/skills")
PLUGINS = "/opt/agent/plugins"


async def list_skill_dirs() -> list[str]:
    return sorted(os.listdir(SKILLS))  # expect: BIO108


async def list_plugins() -> list[str]:
    return glob.glob(f"{PLUGINS}/*.py")  # expect: BIO108


async def skill_names() -> list[str]:
    return [p.name for p in SKILLS.iterdir() if p.is_dir()]  # expect: BIO108, BIO106


async def manifests() -> list[Path]:
    return list(SKILLS.glob("*/manifest.json"))  # expect: BIO108


async def count_python_files(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.py"))  # expect: BIO108


async def plugin_entries() -> list[str]:
    names = []
    for entry in os.scandir(PLUGINS):  # expect: BIO108
        names.append(entry.name)
    return names


async def walk_tree(root: str) -> int:
    total = 0
    for _dirpath, _dirs, files in os.walk(root):  # expect: BIO108
        total += len(files)
    return total


async def iglob_logs() -> list[str]:
    return list(glob.iglob("/var/log/agent/*.log"))  # expect: BIO108


async def list_skill_dirs_offloaded() -> list[str]:
    return await asyncio.to_thread(os.listdir, SKILLS)  # ok: offloaded by reference


async def manifests_offloaded() -> list[Path]:
    return await asyncio.to_thread(list, SKILLS.glob("*/manifest.json"))  # ok: lazy glob consumed in the thread
