"""The facts of each classified function, kept from the previous scan for the next one.

Classifying the functions the loop reaches (resolving every call) is most of the
whole-program analysis. A function's facts depend only on what the resolver looked at
while computing them (reads.py), so after an edit, facts whose reads are all unchanged
are taken as they were: a module read whose source is unchanged, a name still missing,
a whole-program question with the same answer. Everything else is classified again; the
rest of the analysis (liveness, reach, findings) always runs on the whole program.

The store is kept per scan setting (configuration, rules, environment, the set of
files): a different setting starts from nothing. Summaries, call sites and registry
rules are stored by name and linked to this scan's objects when read.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from typing import Any

from blocking_io.shared_rules import Registry

from .callgraph import FunctionFacts
from .reads import Reads
from .resolver import Resolver
from .summary import ModuleSummary

# the lists of FunctionFacts the later stages replace or extend (astroid, liveness)
_LISTS = tuple(
    f.name
    for f in dataclasses.fields(FunctionFacts)
    if f.name not in ("qualname", "module", "func")
)


class _Missing:
    """A stored reference to a summary, site or rule this scan does not have."""


MISSING: Any = _Missing()


def snapshot(facts: FunctionFacts) -> FunctionFacts:
    """A copy whose lists the later stages of this scan cannot change."""
    copy = FunctionFacts(facts.qualname, facts.module, facts.func)
    for name in _LISTS:
        setattr(copy, name, list(getattr(facts, name)))
    return copy


Entry = tuple[FunctionFacts, Reads]


class FactsStore:
    """One chunk per module: the facts of its functions (pickled, read when one of them is
    asked for) and the sources they were made from (module -> sha256 of what they read)."""

    def __init__(self, resolver: Resolver, registry: Registry, payload: bytes | None) -> None:
        self.resolver = resolver
        self.registry = registry
        self._chunks: dict[str, tuple[dict[str, str], bytes]] = {}
        self._loaded: dict[str, tuple[dict[str, str], dict[str, Entry]]] = {}
        self._stale: dict[str, bool] = {}
        self.kept: dict[str, Entry] = {}
        self._fresh: set[str] = set()  # modules with facts classified in this scan
        self.reused = 0
        if payload:
            try:
                chunks = pickle.loads(payload)
            except Exception:  # corrupt or from another version: classify everything
                chunks = {}
            if isinstance(chunks, dict):
                self._chunks = {
                    m: c
                    for m, c in chunks.items()
                    if isinstance(c, tuple)
                    and len(c) == 2
                    and isinstance(c[0], dict)
                    and isinstance(c[1], bytes)
                }

    # -- reading ---------------------------------------------------------------------------
    def reuse(self, qualname: str) -> FunctionFacts | None:
        """The stored facts of `qualname` if nothing they read has changed, else None."""
        hit = dict.get(self.resolver.functions, qualname)
        chunk = self._chunk(hit[0].module) if hit is not None else None
        entry = chunk[1].get(qualname) if chunk is not None else None
        if chunk is None or not isinstance(entry, tuple) or len(entry) != 2:
            return None
        facts, reads = entry
        if (
            not isinstance(facts, FunctionFacts)
            or not isinstance(reads, Reads)
            or facts.module is MISSING
            or facts.func is MISSING
            or any(self._changed(m, chunk[0]) for m in reads.modules)
            or not self._still(reads)
        ):
            return None
        self.kept[qualname] = entry
        self.reused += 1
        return snapshot(facts)

    def _chunk(self, module: str) -> tuple[dict[str, str], dict[str, Entry]] | None:
        loaded = self._loaded.get(module)
        if loaded is None and module in self._chunks:
            shas, payload = self._chunks[module]
            try:
                entries = _Unpickler(io.BytesIO(payload), self).load()
            except Exception:  # corrupt: classify its functions again
                entries = None
            if isinstance(entries, dict):
                loaded = self._loaded[module] = (shas, entries)
        return loaded

    def _still(self, reads: Reads) -> bool:
        indexes: dict[str, dict[str, Any]] = {
            "modules": self.resolver.modules,
            "functions": self.resolver.functions,
            "classes": self.resolver.classes,
        }
        # dict.keys: a check, not a read of the analysis
        return not any(key in dict.keys(indexes[i]) for i, key in reads.absent) and all(
            question == "overrides" and self.resolver.overrides(argument) == answer
            for question, argument, answer in reads.queries
        )

    def _changed(self, module: str, shas: dict[str, str]) -> bool:
        return self._sha(module) != shas.get(module)

    def _sha(self, module: str) -> str | None:
        current = dict.get(self.resolver.modules, module)
        return None if current is None else current.sha256

    # -- writing ---------------------------------------------------------------------------
    def keep(self, facts: FunctionFacts, reads: Reads) -> None:
        """Facts classified in this scan, as they were made."""
        self.kept[facts.qualname] = (snapshot(facts), reads)
        self._fresh.add(facts.module.module)

    def payload(self) -> bytes:
        """The chunks to store: as they were for modules whose facts were all reused (with
        facts this scan did not ask for), pickled again for the others."""
        by_module: dict[str, dict[str, Entry]] = {}
        for qualname, entry in self.kept.items():
            by_module.setdefault(entry[0].module.module, {})[qualname] = entry
        chunks = {m: c for m, c in self._chunks.items() if m not in self._fresh}
        for module in self._fresh:
            entries = by_module[module]
            read = {m for _, reads in entries.values() for m in reads.modules}
            shas = {m: sha for m in read if (sha := self._sha(m)) is not None}
            buffer = io.BytesIO()
            _Pickler(buffer, self, entries).dump(entries)
            chunks[module] = (shas, buffer.getvalue())
        return pickle.dumps(chunks, protocol=pickle.HIGHEST_PROTOCOL)

    # -- links -----------------------------------------------------------------------------
    def _ids(self, entries: dict[str, Entry]) -> dict[int, tuple[Any, ...]]:
        ids: dict[int, tuple[Any, ...]] = {}
        for i, rule in enumerate(self.registry.rules):
            ids[id(rule)] = ("R", i)
            for j, target in enumerate(rule.targets):
                ids[id(target)] = ("T", i, j)
        for facts, _ in entries.values():
            summary, fs = facts.module, facts.func
            ids[id(summary)] = ("M", summary.module)
            ids[id(fs)] = ("F", summary.module, fs.qualname)
            for index, site in enumerate(fs.calls):
                ids[id(site)] = ("S", summary.module, fs.qualname, index)
        return ids

    def _link(self, ref: tuple[Any, ...]) -> Any:
        kind = ref[0]
        if kind == "R":
            return self.registry.rules[ref[1]]
        if kind == "T":
            return self.registry.rules[ref[1]].targets[ref[2]]
        summary: ModuleSummary | None = dict.get(self.resolver.modules, ref[1])
        if summary is None:
            return MISSING
        if kind == "M":
            return summary
        fs = summary.functions.get(ref[2])
        if fs is None:
            return MISSING
        if kind == "F":
            return fs
        return fs.calls[ref[3]] if ref[3] < len(fs.calls) else MISSING


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, store: FactsStore, entries: dict[str, Entry]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._ids = store._ids(entries)

    def persistent_id(self, obj: Any) -> Any:
        return self._ids.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, store: FactsStore) -> None:
        super().__init__(file)
        self._store = store

    def persistent_load(self, pid: Any) -> Any:
        return self._store._link(pid)
