"""What a computation of the whole-program analysis looked at, for reusing its result.

The facts of a function (callgraph.py) depend on its own module and on whatever the
resolver looked up elsewhere: other modules, classes and functions, names that did not
exist, and a few questions about the whole program (the implementations of a stub
method). The resolver's indexes record each lookup into the innermost open frame; a
memoized answer keeps the reads made to compute it and hands them to every later reader.
An edited module then invalidates only the facts that read it (incremental.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Reads:
    modules: frozenset[str] = frozenset()
    # (index, key) looked up and not found: `functions`, `classes` or `modules`
    absent: frozenset[tuple[str, str]] = frozenset()
    # (question, argument, answer) asked of the whole program (Resolver.overrides)
    queries: frozenset[tuple[str, str, Any]] = frozenset()


NONE = Reads()
_EMPTY: frozenset[Any] = frozenset()


class _Frame:
    __slots__ = ("absent", "modules", "queries")

    def __init__(self) -> None:
        self.modules: set[str] = set()
        self.absent: set[tuple[str, str]] = set()
        self.queries: set[tuple[str, str, Any]] = set()


class ReadLog:
    """A stack of open frames; reads go to the innermost, and a closed frame's reads go on
    to the frame around it (what an inner computation read, the outer one read too)."""

    __slots__ = ("_frames",)

    def __init__(self) -> None:
        self._frames: list[_Frame] = []

    def open(self) -> None:
        self._frames.append(_Frame())

    def close(self, keep: bool = True) -> Reads:
        """The innermost frame's reads; unless `keep` is false, the frame around it read
        them too."""
        frames = self._frames
        frame = frames.pop()
        modules, absent, queries = frame.modules, frame.absent, frame.queries
        # hot (once per evaluation): most frames miss no name and ask no question, so the
        # empty sets are neither copied nor merged
        reads = Reads(
            frozenset(modules),
            frozenset(absent) if absent else _EMPTY,
            frozenset(queries) if queries else _EMPTY,
        )
        if keep and frames:
            outer = frames[-1]
            outer.modules |= modules
            if absent:
                outer.absent |= absent
            if queries:
                outer.queries |= queries
        return reads

    def replay(self, reads: Reads) -> None:
        """A memoized answer is read: so is everything computing it read."""
        if self._frames and reads is not NONE:
            frame = self._frames[-1]
            frame.modules |= reads.modules
            if reads.absent:
                frame.absent |= reads.absent
            if reads.queries:
                frame.queries |= reads.queries

    def module(self, name: str) -> None:
        if self._frames:
            self._frames[-1].modules.add(name)

    def missing(self, index: str, key: str) -> None:
        if self._frames:
            self._frames[-1].absent.add((index, key))

    def query(self, question: str, argument: str, answer: Any) -> None:
        if self._frames:
            self._frames[-1].queries.add((question, argument, answer))


class Index(dict[str, Any]):
    """A resolver index (module, function or class name -> summary) that records lookups.
    Values are a ModuleSummary (`modules`) or a (ModuleSummary, summary) pair. Hot: the
    recording is written out in each method."""

    __slots__ = ("_frames", "_name", "_pairs")

    def __init__(self, log: ReadLog, name: str) -> None:
        super().__init__()
        self._frames = log._frames
        self._name = name
        self._pairs = name != "modules"

    def get(self, key: str, default: Any = None) -> Any:
        hit = dict.get(self, key)
        if self._frames:
            frame = self._frames[-1]
            if hit is None:
                frame.absent.add((self._name, key))
            else:
                frame.modules.add(hit[0].module if self._pairs else hit.module)
        return default if hit is None else hit

    def __getitem__(self, key: str) -> Any:
        hit = self.get(key)
        if hit is None:
            raise KeyError(key)
        return hit

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None
