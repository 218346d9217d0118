# feature: literal-loop
"""Loop variables over a literal list or tuple of typed values keep the elements' type."""

from pathlib import Path


class Workspace:
    def cache_dir(self) -> Path:
        return Path("/srv/cache")

    def logs_dir(self) -> Path:
        return Path("/srv/logs")

    def labels(self) -> list[str]:
        return ["cache", "logs"]

    async def prepare(self) -> None:
        for folder in [self.cache_dir(), self.logs_dir()]:
            folder.mkdir(exist_ok=True)  # expect: BIO109

    async def names(self) -> list[str]:
        out = []
        for name in ("a-b", "c-d"):
            out.append(name.replace("-", "_"))  # ok: str.replace, not Path.replace
        return out
