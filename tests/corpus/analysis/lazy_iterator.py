# feature: lazy-iterator
"""Lazy directory iterators block only when consumed on the loop; the finding is on the line
of the glob / iterdir / scandir call."""

import asyncio
import glob
import os
from pathlib import Path

SKILLS = Path("/opt/agent/skills")


async def skill_files() -> list[Path]:
    return sorted(SKILLS.rglob("SKILL.md"))  # expect: BIO108


async def first_skill() -> Path | None:
    return next(SKILLS.iterdir(), None)  # expect: BIO108


async def has_skills() -> bool:
    return any(SKILLS.iterdir())  # expect: BIO108


async def skill_count() -> int:
    found = SKILLS.glob("*/SKILL.md")  # expect: BIO108
    count = 0
    for _ in found:
        count += 1
    return count


async def entry_names(root: str) -> set[str]:
    return {entry.name for entry in os.scandir(root)}  # expect: BIO108


async def skill_files_offloaded() -> list[Path]:
    return await asyncio.to_thread(list, SKILLS.rglob("SKILL.md"))  # ok: consumed in the worker thread


async def scandir_offloaded(root: str) -> list:
    return await asyncio.to_thread(list, os.scandir(root))  # ok: consumed in the worker thread


async def lazy_pattern() -> object:
    return SKILLS.glob("*/SKILL.md")  # ok: returned unconsumed


async def walk_offloaded(root: str) -> list:
    return await asyncio.to_thread(lambda: [d for d, _, _ in os.walk(root)])  # ok: lambda offloaded


async def iglob_unconsumed(pattern: str):
    matches = glob.iglob(pattern)  # ok: never consumed on the loop
    return await asyncio.to_thread(list, matches)  # ok: consumed in the worker thread
