"""Following calls into installed third-party packages.

When project code calls a function of an installed package that no rule describes
(`jinja2.Environment.get_template`, `dotenv.load_dotenv`), the analysis follows the call
into the package's source, as deep as the chain goes (`dependency-depth` caps it), to find
the primitive. Packages the registry or the type table already describe (requests, redis,
boto3, ...) stay opaque: their rules say what blocks, and following them would only replace
a precise rule with a long chain.

The packages are those of the project's environment (environment.py), located without
importing anything. Only the modules the project's calls reach are summarised, and their
summaries are kept in the user's cache (`libraries.py`), keyed by distribution, version and
the file's content: a second project that uses the same library pays nothing.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from blocking_io.shared_rules import Registry
from blocking_io.shared_rules.reports import ErrorEntry

from .cache import Cache, FileStamp
from .libraries import Distribution, Distributions, LibraryCache
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


MAX_MB = 8
MAX_LIBRARY_BYTES = MAX_MB * 1024 * 1024  # as for the project's own files (scan.py)


@dataclass
class Dependencies:
    """Locates and summarizes modules of installed packages, without importing them."""

    registry: Registry
    cache: Cache
    project_tops: frozenset[str]
    max_depth: int | None = None  # None: as deep as the chain goes
    search_path: list[str] = field(
        default_factory=lambda: [p for p in sys.path if p and os.path.isdir(p)]
    )
    library_cache: LibraryCache | None = None
    stamps: list[FileStamp] = field(default_factory=list)
    # library files that could not be read: warnings, the scan goes on without them
    problems: list[ErrorEntry] = field(default_factory=list)
    summarized: int = 0  # library modules summarised by this scan
    reused: int = 0  # ... and taken from the user cache
    # library files read (their chain labels) -> the distribution that installed them
    libraries: dict[str, Distribution] = field(default_factory=dict)
    distributions: Distributions = field(init=False)
    _finders: dict[str, importlib.machinery.FileFinder] = field(default_factory=dict)
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
        self.distributions = Distributions(self.search_path)

    def followable(self, symbol: str) -> bool:
        """May `symbol` (an external dotted name) be looked up in installed source?"""
        if self.max_depth is not None and self.max_depth <= 0:
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
        system would (a FileFinder per directory of the search path, namespace packages
        across several) but without executing anything, nor touching `sys.modules`."""
        parts = module.split(".")
        locations: list[str] = self.search_path
        found = None
        for index in range(len(parts)):
            name = ".".join(parts[: index + 1])
            found, portions = None, []
            for entry in locations:
                try:
                    spec = self._finder(entry).find_spec(name)
                except (ImportError, ValueError, OSError):
                    spec = None
                if spec is None:
                    continue
                if spec.loader is None:  # a namespace portion: keep looking, then join them
                    portions.extend(spec.submodule_search_locations or [])
                    continue
                found = spec
                break
            if found is None and not portions:
                # not installed (yet): installing it adds an entry to one of these folders,
                # whose changed stamp then recomputes the result and stops a replay
                self._stamp_folders(locations)
                return None
            if index < len(parts) - 1:
                locations = list(found.submodule_search_locations or []) if found else portions
                if not locations:
                    return None
        if found is None or not found.origin or not found.origin.endswith(".py"):
            return None  # namespace package, C extension, frozen: nothing to read
        path = Path(found.origin)
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
            self._stamp_folders(self.search_path)
        self._installed[module] = found
        return found

    def _stamp_folders(self, folders: list[str]) -> None:
        for entry in folders:
            stamp = FileStamp.of(Path(entry))
            if stamp is not None and stamp not in self.stamps:
                self.stamps.append(stamp)

    def _finder(self, entry: str) -> importlib.machinery.FileFinder:
        finder = self._finders.get(entry)
        if finder is None:
            # the environment's interpreter may be another Python: any extension suffix
            # counts as "compiled, nothing to read", whatever Python built it
            finder = importlib.machinery.FileFinder(
                entry,
                (importlib.machinery.ExtensionFileLoader, [".so", ".pyd"]),
                (importlib.machinery.SourceFileLoader, [".py"]),
            )
            self._finders[entry] = finder
        return finder

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
        self.stamps.append(stamp)  # whatever comes of it: a changed file changes the result
        label = _label(path, self.search_path)
        if stamp.size > MAX_LIBRARY_BYTES:  # generated tables, vendored bundles
            size = f"{stamp.size / 1024 / 1024:.0f} MB"
            self._problem(label, None, "too-large", f"{size}, over the {MAX_MB} MB limit")
            return None
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self._problem(label, None, "unreadable", exc.strerror or str(exc))
            return None
        dist = self.distributions.of(path)
        if dist is not None:
            self.libraries[label] = dist
        key = LibraryCache.key(dist, module, label, is_package, raw)
        summary = self.library_cache.get(key) if self.library_cache else None
        if isinstance(summary, ModuleSummary):
            self.reused += 1
        else:
            try:
                summary = summarize(raw, module, label, is_package)
            except SourceError as exc:
                self._problem(label, exc.line, exc.kind, str(exc))
                return None
            except (RecursionError, ValueError) as exc:
                self._problem(label, None, "too-deep", f"cannot analyse it ({type(exc).__name__})")
                return None
            summary.origin = Origin.DEPENDENCY
            self.summarized += 1
            if self.library_cache:
                self.library_cache.put(key, summary)
        self._loaded[module] = summary
        return summary

    def _problem(self, label: str, line: int | None, kind: str, message: str) -> None:
        self.problems.append(
            ErrorEntry(
                path=label,
                line=line,
                kind=kind,
                message=f"{message}; calls into this library module are not followed",
            )
        )

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
