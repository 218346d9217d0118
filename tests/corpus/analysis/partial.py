# feature: partial
"""functools.partial objects called on the loop reach the wrapped function."""

import functools
import json
import os
from functools import partial
from pathlib import Path

CONFIG_DIR = Path("/etc/agent")


def load_yaml_like(root: Path, name: str) -> dict:
    return json.loads((root / f"{name}.json").read_text())  # ok: reported at the async call sites


def describe(root: Path, name: str) -> str:
    return f"{root}/{name}"  # ok: pure helper


load_config = functools.partial(load_yaml_like, CONFIG_DIR)  # ok: module-level code runs at import
describe_config = partial(describe, CONFIG_DIR)  # ok: module-level code runs at import


async def tool_config(name: str) -> dict:
    return load_config(name)  # expect: BIO102


async def tool_label(name: str) -> str:
    return describe_config(name)  # ok: the wrapped function is pure


async def remove_later(path: str) -> None:
    remove = partial(os.remove, path)
    remove()  # expect: BIO110
