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

import copyreg
import dataclasses
import functools
import hashlib
import io
import pickle
from collections.abc import Callable
from typing import Any

from blocking_io.shared_rules import Registry

from .cache import Reducer, reducers
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

# module, sha256 of a source it was summarised from -> that summary, if still in the cache
Previous = Callable[[str, str], "ModuleSummary | None"]


def shape(summary: ModuleSummary) -> bytes:
    """A summary as the classification of a function can read it: all of it but the hash
    and the length of its source (and the end line of the module body, that length), which
    only the report reads. A comment or blank lines added or edited keep the shape, so the
    facts that read the module are still its facts.

    Pickled: equal bytes are equal summaries, value for value and type for type (`==` would
    take `Const(True)` for `Const(1)`). Sets are sorted: their order follows the string
    hashes of the process that built them."""
    functions = summary.functions
    body = functions.get("<module>")
    if body is not None:
        functions = {**functions, "<module>": dataclasses.replace(body, end_line=0)}
    fields = [
        sorted(value) if isinstance(value, frozenset) else value
        for value in (getattr(summary, f.name) for f in _SUMMARY_FIELDS)
    ]
    fields[_FUNCTIONS] = functions
    return pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)


# every field but sha256 and lines
_SUMMARY_FIELDS = tuple(
    f for f in dataclasses.fields(ModuleSummary) if f.name not in ("sha256", "lines")
)
_FUNCTIONS = next(i for i, f in enumerate(_SUMMARY_FIELDS) if f.name == "functions")


class FactsStore:
    """One chunk per module: the facts of its functions (pickled, read when one of them is
    asked for) and the sources they were made from (module -> sha256 of what they read)."""

    def __init__(
        self,
        resolver: Resolver,
        registry: Registry,
        payload: bytes | None,
        previous: Previous | None = None,
    ) -> None:
        self.resolver = resolver
        self.registry = registry
        self._chunks: dict[str, tuple[dict[str, str], bytes]] = {}
        self._loaded: dict[str, tuple[dict[str, str], dict[str, Entry]]] = {}
        # per chunk, the modules it read that are as they were (a module once loaded stays)
        self._current: dict[str, set[str]] = {}
        self._indexes: dict[str, dict[str, Any]] = {
            "modules": resolver.modules,
            "functions": resolver.functions,
            "classes": resolver.classes,
        }
        self._gone: set[tuple[str, str]] = set()  # (index, key) still missing (_still)
        self._size = -1  # of the indexes when _gone was checked
        # previous: the summary a module had (shape()), for a module whose source changed
        self._previous = previous
        self._same: dict[tuple[str, str], bool] = {}  # (module, stored sha) -> same shape
        # the facts to store: as classified in this scan, or the module of the stored chunk
        # they were reused from (handed to the scan as they were read, not copied: the
        # chunk's bytes give them again if the module's chunk is written anew)
        self.kept: dict[str, Entry | str] = {}
        self._fresh: set[str] = set()  # modules with facts classified in this scan
        self.reused = 0
        # (module, sha256 of its source) -> digest of its summary's shape(), as computed by
        # this scan or stored by an earlier one (the edited module of the previous scan)
        self._shapes: dict[tuple[str, str], bytes] = {}
        if payload:
            try:
                chunks, shapes = pickle.loads(payload)
            except Exception:  # corrupt or from another version: classify everything
                chunks, shapes = {}, {}
            if isinstance(chunks, dict):
                self._chunks = {
                    m: c
                    for m, c in chunks.items()
                    if isinstance(c, tuple)
                    and len(c) == 2
                    and isinstance(c[0], dict)
                    and isinstance(c[1], bytes)
                }
            if isinstance(shapes, dict):
                self._shapes = {
                    k: d
                    for k, d in shapes.items()
                    if isinstance(k, tuple) and len(k) == 2 and isinstance(d, bytes)
                }

    # -- reading ---------------------------------------------------------------------------
    def reuse(self, qualname: str) -> FunctionFacts | None:
        """The stored facts of `qualname` if nothing they read has changed, else None."""
        hit = dict.get(self.resolver.functions, qualname)
        if hit is None:
            return None
        module = hit[0].module
        chunk = self._chunk(module)
        entry = chunk[1].get(qualname) if chunk is not None else None
        if chunk is None or not isinstance(entry, tuple) or len(entry) != 2:
            return None
        facts, reads = entry
        if (
            not isinstance(facts, FunctionFacts)
            or not isinstance(reads, Reads)
            or facts.module is MISSING
            or facts.func is MISSING
            or not self._unchanged(reads.modules, module, chunk[0])
            or not self._still(reads)
        ):
            return None
        del chunk[1][qualname]  # handed out once: the scan changes its lists
        self.kept[qualname] = module
        self.reused += 1
        return facts

    def _chunk(self, module: str) -> tuple[dict[str, str], dict[str, Entry]] | None:
        loaded = self._loaded.get(module)
        if loaded is None and module in self._chunks:
            shas, payload = self._chunks[module]
            entries = self._entries(payload)
            if entries is not None:
                loaded = self._loaded[module] = (shas, entries)
        return loaded

    def _entries(self, payload: bytes) -> dict[str, Entry] | None:
        _reading.append(self)  # links to this scan's objects (_linked)
        try:
            entries = pickle.loads(payload)
        except Exception:  # corrupt: classify its functions again
            return None
        finally:
            _reading.pop()
        return entries if isinstance(entries, dict) else None

    def _unchanged(self, modules: frozenset[str], chunk: str, shas: dict[str, str]) -> bool:
        """Every module of `modules` (read by a function of `chunk`) is as it was."""
        current = self._current.get(chunk)
        if current is None:
            current = self._current[chunk] = set()
        elif current.issuperset(modules):  # hot: most functions of a chunk read alike
            return True
        for module in modules:
            if module not in current:
                if self._changed(module, shas):
                    return False
                current.add(module)
        return True

    def _still(self, reads: Reads) -> bool:
        absent = reads.absent
        if absent:
            indexes = self._indexes
            # names seen missing stay missing until an index grows (the resolver loads an
            # installed package's module): most functions miss the same few names
            size = sum(map(len, indexes.values()))
            if size != self._size:
                self._size = size
                self._gone.clear()
            gone = self._gone
            if not absent <= gone:
                for index, key in absent:
                    # dict.keys: a check, not a read of the analysis
                    if key in dict.keys(indexes[index]):
                        return False
                    gone.add((index, key))
        return all(
            question == "overrides" and self.resolver.overrides(argument) == answer
            for question, argument, answer in reads.queries
        )

    def _changed(self, module: str, shas: dict[str, str]) -> bool:
        sha, stored = self._sha(module), shas.get(module)
        if sha == stored:
            return False
        if sha is None or stored is None or self._previous is None:
            return True
        key = (module, stored)
        same = self._same.get(key)
        if same is None:
            same = self._same[key] = self._same_shape(module, stored)
        return not same

    def _same_shape(self, module: str, stored: str) -> bool:
        """Whether the summary of the source `stored` hashes is the one `module` has now
        but for its source's hash and length (shape())."""
        sha = self._sha(module)
        before = self._shape(module, stored)
        return before is not None and sha is not None and before == self._shape(module, sha)

    def _shape(self, module: str, sha: str) -> bytes | None:
        """The digest of the shape of `module`'s summary under the source `sha` hashes.
        The summary is read from the cache, never taken as just built: one read back shares
        its strings as another read back does (pickled bytes follow that sharing)."""
        digest = self._shapes.get((module, sha))
        if digest is None and self._previous is not None:
            try:
                summary = self._previous(module, sha)
            except Exception:  # an unreadable cache entry: classify again
                return None
            if not isinstance(summary, ModuleSummary) or (summary.module, summary.sha256) != (
                module,
                sha,
            ):
                return None
            digest = self._shapes[(module, sha)] = hashlib.sha256(shape(summary)).digest()
        return digest

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
        by_module: dict[str, dict[str, Entry | str]] = {}
        for qualname, entry in self.kept.items():
            module = entry if isinstance(entry, str) else entry[0].module.module
            by_module.setdefault(module, {})[qualname] = entry
        chunks = {m: c for m, c in self._chunks.items() if m not in self._fresh}
        # the modules whose summary is as it was under another source: stored under the
        # current one, so the next scan does not compare them again
        moved = {
            key: sha for key, same in self._same.items() if same and (sha := self._sha(key[0]))
        }
        if moved:
            for m, (shas, payload) in chunks.items():
                if any(key in moved for key in shas.items()):
                    chunks[m] = ({k: moved.get((k, v), v) for k, v in shas.items()}, payload)
        for module in self._fresh:
            entries = self._as_read(module, by_module[module])
            read = {m for _, reads in entries.values() for m in reads.modules}
            shas = {m: sha for m in read if (sha := self._sha(m)) is not None}
            buffer = io.BytesIO()
            _pickler(buffer, self, entries).dump(entries)
            chunks[module] = (shas, buffer.getvalue())
        # the shapes of the current sources, for the next scan to compare an edit with
        shapes = {k: d for k, d in self._shapes.items() if self._sha(k[0]) == k[1]}
        return pickle.dumps((chunks, shapes), protocol=pickle.HIGHEST_PROTOCOL)

    def _as_read(self, module: str, kept: dict[str, Entry | str]) -> dict[str, Entry]:
        """The entries of `module` to store, the reused ones read again from its chunk."""
        stored = None
        if any(isinstance(entry, str) for entry in kept.values()):
            chunk = self._chunks.get(module)
            stored = self._entries(chunk[1]) if chunk is not None else None
        out: dict[str, Entry] = {}
        for qualname, entry in kept.items():
            if not isinstance(entry, str):
                out[qualname] = entry
            elif stored is not None and isinstance(again := stored.get(qualname), tuple):
                out[qualname] = again
        return out

    # -- links -----------------------------------------------------------------------------
    def _ids(self, entries: dict[str, Entry]) -> tuple[dict[int, tuple[Any, ...]], set[type]]:
        """id() of each object a chunk links to -> its reference; and their types."""
        ids: dict[int, tuple[Any, ...]] = {}
        types: set[type] = set()
        for i, rule in enumerate(self.registry.rules):
            ids[id(rule)] = ("R", i)
            types.add(type(rule))
            for j, target in enumerate(rule.targets):
                ids[id(target)] = ("T", i, j)
                types.add(type(target))
        for facts, _ in entries.values():
            summary, fs = facts.module, facts.func
            ids[id(summary)] = ("M", summary.module)
            ids[id(fs)] = ("F", summary.module, fs.qualname)
            types.update((type(summary), type(fs)))
            for index, site in enumerate(fs.calls):
                ids[id(site)] = ("S", summary.module, fs.qualname, index)
                types.add(type(site))
        return ids, types

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


@functools.cache
def _facts_table() -> dict[type, Reducer]:
    from blocking_io.shared_rules import registry

    from . import callgraph, guards, ir, reads, summary, values

    modules = (ir, summary, values, guards, callgraph, reads, registry)
    return {**copyreg.dispatch_table, **reducers(modules)}


_reading: list[FactsStore] = []  # the store whose chunk is being read (_entries)


def _linked(ref: tuple[Any, ...]) -> Any:
    """In a stored chunk, an object of the scan that reads it: a summary, a function's
    summary, a call site, a rule or its target (FactsStore._link)."""
    return _reading[-1]._link(ref)


def _pickler(file: io.BytesIO, store: FactsStore, entries: dict[str, Entry]) -> _Pickler:
    return _Pickler(file, *store._ids(entries))


class _Pickler(pickle.Pickler):
    """Links by a reducer of their types, not by persistent_id: that is a Python call for
    every object pickled (ints and strings too), the reducers only for the linked types;
    and a linked object met again is a memo reference, not another link to resolve. (No
    linked type is a builtin one, whose objects the pickler writes before asking a reducer:
    rules, their targets, summaries and call sites.)"""

    def __init__(self, file: io.BytesIO, ids: dict[int, tuple[Any, ...]], types: set[type]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        table = dict(_facts_table())  # unpickled faster (cache.reducers)
        for linked in types:
            table[linked] = _link_or(ids, table.get(linked))
        self.dispatch_table = table


def _link_or(ids: dict[int, tuple[Any, ...]], otherwise: Reducer | None) -> Reducer:
    def reduce(obj: Any) -> Any:
        ref = ids.get(id(obj))
        if ref is not None:
            return _linked, (ref,)
        if otherwise is not None:
            return otherwise(obj)
        return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

    return reduce
