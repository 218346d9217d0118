# feature: inherited-method
"""A tool subclass in another module: inherited methods are resolved through the base."""

from .base import Tool


class GitTool(Tool):
    name = "git"

    async def run(self, prompt: str) -> str:
        config = self.load_config()  # expect: BIO102
        return self.shell("git", config.get("default", "status"))  # expect: BIO201

    async def help(self) -> str:
        return self.describe()  # ok: inherited pure method


class DryRunGitTool(GitTool):
    def shell(self, *cmd: str) -> str:
        return " ".join(cmd)  # ok: the override does no IO

    async def preview(self) -> str:
        return self.shell("git", "status")  # ok: resolves to the override, not Tool.shell
