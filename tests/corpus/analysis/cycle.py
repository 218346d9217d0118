# feature: cycle
"""Recursion and mutual recursion between sync helpers; one finding per call site."""

import json
from pathlib import Path


def tree_size(path: Path) -> int:
    if path.is_file():  # ok: reported at the async call site
        return path.stat().st_size  # ok: reported at the async call site
    return sum(tree_size(child) for child in path.iterdir())  # ok: reported at the async call site


def resolve_includes(doc: dict) -> dict:
    return {key: expand(value) for key, value in doc.items()}  # ok: reported at the async call site


def expand(value):
    if isinstance(value, str) and value.startswith("@"):
        return resolve_includes(json.loads(Path(value[1:]).read_text()))  # ok: reported at the async call site
    return value


def depth(node: dict) -> int:
    return 1 + max((depth(child) for child in node.get("children", [])), default=0)  # ok: pure recursion


async def usage(root: Path) -> int:
    return tree_size(root)  # expect: BIO108


async def load(doc: dict) -> dict:
    return resolve_includes(doc)  # expect: BIO102


async def nesting(doc: dict) -> int:
    return depth(doc)  # ok: pure recursion


async def walk_async(node: dict) -> int:
    children = node.get("children", [])
    return 1 + sum([await walk_async(child) for child in children])  # ok: async recursion without IO
