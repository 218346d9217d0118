# feature: annotated-receiver
"""Settings object with annotated Path attributes, and a factory with a return annotation."""

from pathlib import Path


class Settings:
    data_dir: Path
    spool_dir: Path

    def __init__(self, root: str) -> None:
        self.data_dir = Path(root)
        self.spool_dir = self.data_dir / "spool"


def get_settings() -> Settings:
    return Settings("/var/lib/relay")  # ok: pure constructor


SETTINGS = Settings("/var/lib/relay")  # ok: module-level code runs at import
