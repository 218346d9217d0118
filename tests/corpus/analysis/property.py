# feature: property
"""Property getters run on attribute access: the access line is the finding."""

import functools
import json
from pathlib import Path


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def settings(self) -> dict:
        return json.loads((self.root / "settings.json").read_text())  # ok: reported where the property is read

    @property
    def name(self) -> str:
        return self.root.name  # ok: pure property

    @functools.cached_property
    def readme(self) -> str:
        return (self.root / "README.md").read_text()  # ok: reported where the property is read

    async def model(self) -> str:
        return self.settings.get("model", "default")  # expect: BIO102

    async def title(self) -> str:
        return self.name.title()  # ok: the property is pure

    async def summary(self) -> str:
        return self.readme[:200]  # expect: BIO102


async def describe(ws: Workspace) -> dict:
    return {"name": ws.name, "settings": ws.settings}  # expect: BIO102
