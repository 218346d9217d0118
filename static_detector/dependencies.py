"""Following calls into installed third-party packages.

When project code calls a function of an installed package that no rule describes
(`jinja2.Environment.get_template`, `dotenv.load_dotenv`), the analysis follows the call
into the package's source, a bounded number of calls deep, to find the primitive. Packages
the registry or the type table already describe (requests, redis, boto3, ...) stay opaque:
their rules say what blocks, and following them would only replace a precise rule with a
long chain. Summaries are cached by file path, size and mtime (a package upgrade changes
them), so a dependency costs nothing after the first run.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from blocking_io.shared_rules import Registry

from .cache import Cache, FileStamp
from .source import SourceError
from .summarize import summarize
from .summary import ModuleSummary, Origin

NEVER_FOLLOW = frozenset(
    {
        "blocking_io", "blockbuster",
        "_pytest", "pytest", "pluggy", "typing_extensions", "setuptools", "pip", "pkg_resources",
        "_distutils_hack", "six", "attr", "attrs", "pydantic", "pydantic_core",
    }
)  # fmt: skip
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"__future__"}


@dataclass
class Dependencies:
    """Locates and summarizes modules of installed packages, without importing them."""

    registry: Registry
    cache: Cache
    project_tops: frozenset[str]
    max_depth: int = 3
    search_path: list[str] = field(
        default_factory=lambda: [p for p in sys.path if p and os.path.isdir(p)]
    )
    stamps: list[FileStamp] = field(default_factory=list)
    _known: frozenset[str] = frozenset()
    _known_prefixes: frozenset[str] = frozenset()
    _loaded: dict[str, ModuleSummary | None] = field(default_factory=dict)
    _installed: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known: set[str] = set()
        for rule in self.registry.all_rules:
            for target in rule.targets:
                known.add(target.owner if target.is_wildcard else target.symbol)
                known.add(target.owner)
        for api in (*self.registry.offloads, *self.registry.loop_callbacks):
            known.add(api.symbol)
        known.update(key.removesuffix(".*") for key in self.registry.types.known_symbols())
        prefixes: set[str] = set()
        for symbol in known:
            parts = symbol.split(".")
            prefixes.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        self._known = frozenset(known)
        self._known_prefixes = frozenset(prefixes)

    def followable(self, symbol: str) -> bool:
        """May `symbol` (an external dotted name) be looked up in installed source?"""
        if self.max_depth <= 0:
            return False
        top = symbol.partition(".")[0]
        if top in STDLIB or top in NEVER_FOLLOW or top in self.project_tops or top.startswith("_"):
            return False
        if symbol in self._known_prefixes:
            return False  # the registry / type table describe this API: keep it opaque
        parts = symbol.split(".")
        return not any(".".join(parts[:i]) in self._known for i in range(1, len(parts)))

    def locate(self, module: str) -> tuple[Path, bool] | None:
        """The source file of `module` and whether it is a package, found like the import
        system would (PathFinder over sys.path) but without executing anything."""
        parts = module.split(".")
        locations: list[str] | None = self.search_path
        spec = None
        for index in range(len(parts)):
            name = ".".join(parts[: index + 1])
            try:
                spec = importlib.machinery.PathFinder.find_spec(name, locations)
            except (ImportError, ValueError, OSError):
                return None
            if spec is None:
                return None
            if index < len(parts) - 1:
                locations = list(spec.submodule_search_locations or [])
                if not locations:
                    return None
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None  # namespace package, C extension, frozen: nothing to read
        path = Path(spec.origin)
        return path, path.name == "__init__.py"

    def installed(self, module: str) -> bool:
        """Does the environment have `module` (source or not)? The knowledge base stands in
        for a library it lacks; then the search path's folders become stamps of the result,
        so installing the library later (which changes one of them) recomputes it."""
        hit = self._installed.get(module)
        if hit is not None:
            return hit
        locations: list[str] | None = self.search_path
        spec = None
        parts = module.split(".")
        for index in range(len(parts)):
            name = ".".join(parts[: index + 1])
            try:
                spec = importlib.machinery.PathFinder.find_spec(name, locations)
            except (ImportError, ValueError, OSError):
                spec = None
            if spec is None:
                break
            locations = list(spec.submodule_search_locations or [])
        found = spec is not None
        if not found:
            for entry in self.search_path:
                stamp = FileStamp.of(Path(entry))
                if stamp is not None and stamp not in self.stamps:
                    self.stamps.append(stamp)
        self._installed[module] = found
        return found

    def load(self, module: str) -> ModuleSummary | None:
        if module in self._loaded:
            return self._loaded[module]
        self._loaded[module] = None
        found = self.locate(module)
        if found is None:
            return None
        path, is_package = found
        stamp = FileStamp.of(path)
        if stamp is None:
            return None
        label = _label(path, self.search_path)
        key = Cache.summary_key(module, label, is_package, f"{stamp.size}:{stamp.mtime_ns}")
        summary = self.cache.get("dependency", key)
        if not isinstance(summary, ModuleSummary):
            try:
                summary = summarize(path.read_bytes(), module, label, is_package)
            except (SourceError, OSError, RecursionError, ValueError):
                return None
            summary.origin = Origin.DEPENDENCY
            self.cache.put("dependency", key, summary)
        self.stamps.append(stamp)
        self._loaded[module] = summary
        return summary

    def module_for(self, symbol: str) -> ModuleSummary | None:
        """Load the longest prefix of `symbol` that is a module (`jinja2.loaders.X` ->
        `jinja2.loaders`, or the package `jinja2`)."""
        parts = symbol.split(".")
        for cut in range(len(parts), 0, -1):
            candidate = ".".join(parts[:cut])
            summary = self.load(candidate)
            if summary is not None:
                return summary
        return None


def _label(path: Path, search_path: list[str]) -> str:
    """`site-packages/jinja2/loaders.py`: readable in chains, stable across machines."""
    best = None
    for entry in search_path:
        try:
            rel = path.relative_to(entry)
        except ValueError:
            continue
        if best is None or len(rel.parts) < len(best[1].parts):
            best = (entry, rel)
    if best is None:
        return path.as_posix()
    return f"{Path(best[0]).name}/{best[1].as_posix()}"
