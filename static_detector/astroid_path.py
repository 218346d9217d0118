"""Which top-level packages astroid can load when it infers a call (astroid_fallback.py).

astroid reads modules from this interpreter's import path and from the scanned tree (an
import is looked up beside the importing file first), never from the project's
environment. A method target of a package it cannot load is a class astroid can never
infer, so a call site whose only candidate owners are such packages is not worth building
the module for: the answer would be uninferable, and that reports nothing.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import PurePosixPath


@functools.cache
def on_import_path(top: str) -> bool:
    """Whether this interpreter finds `top` (finders only: nothing is imported or run)."""
    if top in sys.builtin_module_names or top in sys.stdlib_module_names:
        return True
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):  # a broken finder or an odd name: assume it may load
        return True


def tree_names(modules: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Every folder and file name of the scanned modules ((module, path) pairs): astroid
    resolves `import x` to a sibling `x.py` or `x/` of the importing file too."""
    names: set[str] = set()
    for module, path in modules:
        names.update(module.split("."))
        parts = PurePosixPath(path).parts
        names.update(parts[:-1])
        if parts:
            names.add(parts[-1].partition(".")[0])
    return frozenset(names)
