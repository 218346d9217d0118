"""How the project runs async tests, so a generated anchor looks like its neighbours:
`@pytest.mark.asyncio` (pytest-asyncio), `@pytest.mark.anyio` (anyio's plugin), or a plain
test around `asyncio.run(...)` when the project declares neither."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

# Files where a project declares its test dependencies or pytest settings.
DECLARATIONS = (
    "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini", "Pipfile",
    "poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "environment.yml", "noxfile.py",
)  # fmt: skip
MAX_TEST_FILES = 300


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _requirement_files(root: Path) -> list[Path]:
    out = sorted(root.glob("requirements*.txt")) + sorted(root.glob("requirements*.in"))
    for folder in ("requirements", "reqs", "requirements.d"):
        if (root / folder).is_dir():
            out += sorted((root / folder).glob("*.txt")) + sorted((root / folder).glob("*.in"))
    return out


def _test_files(root: Path, anchor_dirs: list[Path]) -> list[Path]:
    found: list[Path] = []  # the anchors' neighbours first
    for folder in (*(str(d) for d in anchor_dirs), "tests", "test"):
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [
                Path(dirpath) / f
                for f in sorted(filenames)
                if f.endswith(".py") and Path(dirpath) / f not in found
            ]
            if len(found) >= MAX_TEST_FILES:
                return found[:MAX_TEST_FILES]
    return found


def detect_style(root: Path, anchor_dirs: list[Path] | None = None) -> tuple[str, str]:
    """(style, why): one of anchor_source.STYLES, and what decided it."""
    tests = _test_files(root, anchor_dirs or [])
    uses_anyio = uses_asyncio = None
    for path in tests:
        text = _read(path)
        if uses_asyncio is None and ("pytest.mark.asyncio" in text or "pytest_asyncio" in text):
            uses_asyncio = path
        if uses_anyio is None and "pytest.mark.anyio" in text:
            uses_anyio = path
    if uses_asyncio is not None:
        return "pytest-asyncio", f"{uses_asyncio.relative_to(root).as_posix()} uses pytest-asyncio"
    if uses_anyio is not None:
        return "anyio", f"{uses_anyio.relative_to(root).as_posix()} uses pytest.mark.anyio"
    for path in [*(root / name for name in DECLARATIONS), *_requirement_files(root)]:
        text = _read(path).lower()
        if "pytest-asyncio" in text or "pytest_asyncio" in text or "asyncio_mode" in text:
            return "pytest-asyncio", f"{path.relative_to(root).as_posix()} declares pytest-asyncio"
    return "asyncio-run", "no pytest-asyncio or anyio tests found: plain tests with asyncio.run"


class Style(str, Enum):
    auto = "auto"
    pytest_asyncio = "pytest-asyncio"
    anyio = "anyio"
    asyncio_run = "asyncio-run"


def resolve_style(choice: Style, root: Path, anchor_dirs: list[Path]) -> tuple[str, str]:
    if choice is not Style.auto:
        return choice.value, "--style"
    return detect_style(root, anchor_dirs)
