# feature: module-naming
"""svc/utils has no __init__.py: an implicit namespace subpackage, `svc.utils.files`."""

from pathlib import Path


def load(path: str) -> str:
    return Path(path).read_text()  # ok: reported at the async call site


def label(path: str) -> str:
    return Path(path).name  # ok: pure path arithmetic
