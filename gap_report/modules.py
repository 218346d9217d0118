"""Grouping findings by module for the per-module tables and charts."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable


def module_of(paths: Iterable[str]) -> dict[str, str]:
    """Each path's module: the directory one level below what all the paths share.

    `packages/relay/gateway/api.py` and `packages/relay/storage/files.py` group as
    `packages/relay/gateway/` and `packages/relay/storage/`; a file directly in the shared
    directory groups under that directory (`./` at the root). Any layout, no config.
    """
    unique = sorted(set(paths))
    dirs = [posixpath.dirname(p).split("/") if posixpath.dirname(p) else [] for p in unique]
    shared: list[str] = []
    if dirs:
        for parts in zip(*dirs, strict=False):
            if len(set(parts)) != 1:
                break
            shared.append(parts[0])
    groups: dict[str, str] = {}
    for path, path_dirs in zip(unique, dirs, strict=True):
        head = path_dirs[: len(shared) + 1]
        groups[path] = "/".join(head) + "/" if head else "./"
    return groups
