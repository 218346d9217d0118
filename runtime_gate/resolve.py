"""Dotted names to live objects: runtime keys of the registry, scanned modules to paths."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any

# Names the registry uses for factories whose objects are of another (C) type.
_ALIASES = {
    "threading.Lock": "_thread.LockType",
    "threading.RLock": "_thread.RLock",
}


class KeyNotFound(LookupError):
    """A runtime key that does not resolve on this interpreter or with these packages."""


def resolve_key(key: str) -> tuple[Any, str]:
    """`"http.client.HTTPConnection.request"` -> (HTTPConnection, "request").

    Imports the longest importable module prefix, then follows attributes. Raises
    KeyNotFound (one line, naming the missing part) when the key does not resolve.
    """
    owner_name, _, attr = key.rpartition(".")
    owner_name = _ALIASES.get(owner_name, owner_name)
    parts = owner_name.split(".")
    obj: Any = None
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        except Exception as exc:  # a broken third-party package must not abort the run
            raise KeyNotFound(f"importing {module_name!r} failed: {exc}") from None
        for part in parts[cut:]:
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise KeyNotFound(f"{module_name!r} has no attribute path {key!r}") from None
        break
    else:
        raise KeyNotFound(f"no importable module in {key!r}")
    if not hasattr(obj, attr):
        raise KeyNotFound(f"{owner_name} has no attribute {attr!r}")
    return obj, attr


def module_paths(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Where the scanned modules live, as path prefixes Blockbuster compares frames against.

    Uses import specs, so the modules are not imported (no import side effects at activation).
    Packages get a trailing separator so `relay` does not also match `relay_tools`.
    """
    paths: list[str] = []
    for name in names:
        spec = _find_spec(name)
        if spec is None:
            raise KeyNotFound(
                f"cannot import scanned module {name!r} (is its source root on sys.path?)"
            )
        if spec.submodule_search_locations:
            paths.extend(os.path.join(p, "") for p in spec.submodule_search_locations)
        elif spec.origin:
            paths.append(spec.origin)
    return tuple(dict.fromkeys(paths))


def _find_spec(name: str) -> Any:
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__spec__", None) is not None:
        return module.__spec__
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def importable(top_level: str) -> bool:
    return top_level in sys.modules or _find_spec(top_level) is not None
