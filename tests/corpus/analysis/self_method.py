# feature: self-method
"""Sync methods reached through self / cls from async methods."""

import json
import shutil
from pathlib import Path


class SkillRegistry:
    root = Path("/opt/agent/skills")

    def __init__(self) -> None:
        self.cache: dict[str, dict] = {}

    def _load(self, name: str) -> dict:
        return json.loads((self.root / name / "skill.json").read_text())  # ok: reported at the async call sites

    def _cached(self, name: str) -> dict:
        if name not in self.cache:
            self.cache[name] = self._load(name)  # ok: reported at the async call sites
        return self.cache[name]

    def _forget(self, name: str) -> None:
        self.cache.pop(name, None)  # ok: dict operation

    @classmethod
    def _wipe(cls, name: str) -> None:
        shutil.rmtree(cls.root / name)  # ok: reported at the async call site

    async def get(self, name: str) -> dict:
        return self._cached(name)  # expect: BIO102

    async def reload(self, name: str) -> dict:
        self._forget(name)  # ok: pure method
        return self._load(name)  # expect: BIO102

    async def remove(self, name: str) -> None:
        self._forget(name)  # ok: pure method
        self._wipe(name)  # expect: BIO110

    @classmethod
    async def purge(cls, name: str) -> None:
        cls._wipe(name)  # expect: BIO110
