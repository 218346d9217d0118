"""The knowledge base of libraries that are not installed (data/kb/).

`data/kb/libraries.toml` pins the libraries (distribution, version, import names, why);
`data/kb/<distribution>.json` holds, per library, what `python -m
blocking_io.static_detector.kb_build` computed from its released source with the detector's
own analysis: which public functions and methods reach which rule's primitive whatever their
arguments, and the chain that shows it. The static detector consults it only for a library
the scanned project's environment does not have (installed, its source is followed instead).

The manifest is validated with the rest of the registry; a library's entries are read on
its first lookup only (most scans never ask), so the compiled registry stays small.
"""

# No `from __future__ import annotations`: see models.py.
import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError
from .knowledge import Dotted

SCHEMA = "blocking-io/kb/1"


class KbLibrary(BaseModel):
    """One pinned library of the knowledge base (a `[[library]]` of libraries.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    distribution: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    version: str = Field(pattern=r"^[0-9A-Za-z.+!-]+$")
    modules: tuple[Dotted, ...] = Field(min_length=1)  # the import packages it provides
    why: str  # why an async service calls it and what in it blocks

    @property
    def file(self) -> str:
        """The generated data file, `kb/<normalized distribution>.json`."""
        return f"{normalize(self.distribution)}.json"

    @property
    def label(self) -> str:
        return f"{self.distribution} {self.version}"


class KbManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    library: tuple[KbLibrary, ...] = ()


def normalize(distribution: str) -> str:
    """PEP 503's normalized name: `GitPython` -> `gitpython`, `python_dotenv` -> `python-dotenv`."""
    out = []
    for ch in distribution.lower():
        out.append("-" if ch in "._-" else ch)
    text = "".join(out)
    while "--" in text:
        text = text.replace("--", "-")
    return text


class KbHit(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    """A library API that reaches a rule's primitive, from the knowledge base."""

    library: str  # `GitPython 3.1.45`
    rule: str
    primitive: str  # the primitive's symbol (`subprocess.Popen`)
    chain: tuple[str, ...]  # qualified names from the API (first) to the primitive (last)
    once: bool = False  # every path passes a lazy initialisation: blocks on a first call


@dataclass
class _Entries:
    """A library's data file, parsed."""

    aliases: dict[str, str]  # public name -> the qualified name that defines it
    # defining name -> hits: a function, a class (its constructor), `Class.method` (for
    # every method along the class's MRO, so an override that does not block shadows one
    # of a base that does)
    apis: dict[str, tuple[KbHit, ...]]


@dataclass
class KnowledgeBase:
    """The pinned libraries; their data files are parsed on first use."""

    libraries: tuple[KbLibrary, ...] = ()
    raw: dict[str, bytes] = field(default_factory=dict, repr=False)  # file -> bytes
    problems: tuple[str, ...] = ()  # one line per data file left out (corrupt)
    _by_module: dict[str, KbLibrary] = field(default_factory=dict, repr=False)
    _loaded: dict[str, _Entries] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for lib in self.libraries:
            for module in lib.modules:
                self._by_module[module] = lib

    def __getstate__(self) -> dict[str, Any]:  # pickled with the registry: nothing parsed
        return {"libraries": self.libraries, "raw": self.raw, "problems": self.problems}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.libraries = state["libraries"]
        self.raw = state["raw"]
        self.problems = state["problems"]
        self._by_module = {}
        self._loaded = {}
        self.__post_init__()

    def library_of(self, symbol: str) -> KbLibrary | None:
        """The library whose import package `symbol` lives in."""
        parts = symbol.split(".")
        for cut in range(len(parts), 0, -1):
            lib = self._by_module.get(".".join(parts[:cut]))
            if lib is not None:
                return lib
        return None

    def lookup(self, symbol: str) -> tuple[KbHit, ...]:
        """What calling `symbol` (a function, a class: its constructor, or `Class.method`,
        by a public or a defining name) reaches, most severe rule first as stored."""
        lib = self.library_of(symbol)
        if lib is None:
            return ()
        entries = self._entries(lib)
        hits = entries.apis.get(symbol)
        if hits is not None:
            return hits
        return entries.apis.get(_canonical(symbol, entries.aliases), ())

    def _entries(self, lib: KbLibrary) -> _Entries:
        hit = self._loaded.get(lib.file)
        if hit is None:
            hit = parse(lib, self.raw.get(lib.file, b"")) or _Entries({}, {})
            self._loaded[lib.file] = hit
        return hit


def parse(lib: KbLibrary, raw: bytes) -> _Entries | None:
    """A library's data file; None if it is missing or made for another version (stale);
    a corrupt one is an InputError."""
    where = f"shared_rules/data/kb/{lib.file}"
    if not raw:
        return None
    try:
        data = json.loads(raw)
        if data.get("schema") != SCHEMA:
            raise InputError(f"{where}: schema {data.get('schema')!r}, expected {SCHEMA!r}")
        if (data["distribution"], data["version"]) != (lib.distribution, lib.version):
            return None
        apis = {
            api: tuple(
                KbHit(lib.label, rule, chain[-1], tuple(chain), bool(once))
                for rule, once, chain in hits
            )
            for api, hits in data["apis"].items()
        }
        return _Entries(dict(data["aliases"]), apis)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise InputError(f"{where}: not a knowledge-base file ({exc})") from None


def _canonical(symbol: str, aliases: dict[str, str]) -> str:
    """The defining name of a public one: the longest aliased prefix is replaced."""
    parts = symbol.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in aliases:
            return ".".join((aliases[prefix], *parts[cut:]))
    return symbol
