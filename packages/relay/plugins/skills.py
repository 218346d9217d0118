"""Skills: directories under the skills root that hold a ``SKILL.md`` manifest.

``SKILL.md`` starts with a front-matter block::

    ---
    name: summarize
    description: Summarize a document in five bullet points.
    tools: word-count, fetch
    ---
    (instructions for the agent, in Markdown)
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

MANIFEST = "SKILL.md"


class SkillFormatError(ValueError):
    """A SKILL.md whose front matter is missing or incomplete."""


@dataclass(frozen=True)
class Skill:
    name: str
    description: str
    directory: str
    tools: tuple[str, ...] = ()
    instructions: str = field(default="", repr=False)

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "directory": self.directory,
            "tools": list(self.tools),
        }


def parse_manifest(text: str, directory: str) -> Skill:
    """Parse the front matter and body of a SKILL.md."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise SkillFormatError(f"{directory}/{MANIFEST}: missing front matter")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise SkillFormatError(f"{directory}/{MANIFEST}: unterminated front matter") from None
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    if not meta.get("name"):
        raise SkillFormatError(f"{directory}/{MANIFEST}: front matter has no 'name'")
    tools = tuple(t.strip() for t in meta.get("tools", "").split(",") if t.strip())
    return Skill(
        name=meta["name"],
        description=meta.get("description", ""),
        directory=directory,
        tools=tools,
        instructions="\n".join(lines[end + 1 :]).strip(),
    )


class SkillLoader:
    """Finds and parses skills under ``root`` (``<root>/<directory>/SKILL.md``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def discover(self) -> list[Skill]:
        """Every valid skill, sorted by directory; broken manifests are logged and skipped."""
        # Path.glob is lazy: the directory is only read when the iterator is consumed,
        # and sorted() consumes it in the worker thread.
        manifests = await asyncio.to_thread(sorted, self.root.glob(f"*/{MANIFEST}"))
        return await asyncio.to_thread(self._parse_all, manifests)

    async def load(self, name: str) -> Skill | None:
        """The skill whose directory is ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        for manifest in self.root.glob(f"*/{MANIFEST}"):
            if manifest.parent.name.lower() == wanted:
                return self._parse(manifest)
        return None

    def _parse_all(self, manifests: list[Path]) -> list[Skill]:
        skills = []
        for manifest in manifests:
            try:
                skills.append(self._parse(manifest))
            except (OSError, UnicodeDecodeError, SkillFormatError) as exc:
                log.warning("skipping skill %s: %s", manifest.parent.name, exc)
        return skills

    def _parse(self, manifest: Path) -> Skill:
        return parse_manifest(manifest.read_text(encoding="utf-8"), manifest.parent.name)
