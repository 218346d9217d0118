# feature: inherited-method
"""The base class of every tool: sync helpers that subclasses inherit."""

import json
import subprocess
from pathlib import Path


class Tool:
    name = "tool"
    config_dir = Path("/etc/agent/tools")

    def load_config(self) -> dict:
        return json.loads((self.config_dir / f"{self.name}.json").read_text())  # ok: reported at the async call sites

    def shell(self, *cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True).stdout  # ok: reported at the async call sites

    def describe(self) -> str:
        return f"tool {self.name}"  # ok: pure method

    async def run(self, prompt: str) -> str:
        return self.describe()  # ok: pure method
