"""On-disk cache in `<report-dir>/cache/`, keyed by content, never by time.

- summaries: one pickle per module, keyed by (tool version, Python version, module name,
  path, source bytes): an edit changes the key, so a stale summary cannot be returned;
- results: the whole scan's findings, keyed by every file's key plus the config and rules
  hashes and the options: an unchanged re-run reads one file;
- facts: the classified functions of the last scan of the same setting (configuration,
  rules, environment, set of files), for an edited re-run (incremental.py).

Every key also covers the detector's own code and data files, so a changed toolkit never
serves results computed by an older one.

Entries are written atomically; an unreadable or corrupt entry is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import io
import operator
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from blocking_io.shared_rules.atomic import replace_file
from blocking_io.shared_rules.report_dir import mark_report_dir

from blocking_io import __version__, shared_rules

FORMAT = "17"


@dataclass(frozen=True, slots=True)
class FileStamp:
    """A file a cached result depended on (an installed package's module), as it was then.
    Here, not beside the dependency code, so reading a cached result imports nothing more."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return cls(str(path), st.st_size, st.st_mtime_ns)

    def current(self) -> bool:
        return FileStamp.of(Path(self.path)) == self


@functools.cache
def _toolkit_hash() -> str:
    """The analysis code and data files themselves: an edit to the detector (a new rule
    target, a fixed resolver) changes every key even when the version number does not."""
    digest = hashlib.sha256()
    for base in (Path(__file__).resolve().parent, Path(shared_rules.__file__).resolve().parent):
        for path in sorted((*base.rglob("*.py"), *base.rglob("*.toml"))):
            with contextlib.suppress(OSError):
                digest.update(path.relative_to(base).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


Reducer = Callable[[Any], Any]  # a reduce value: a tuple, or a global's name


def reducers(modules: Iterable[ModuleType]) -> dict[type, Reducer]:
    """How to pickle the classes of `modules` so that they unpickle without a Python-level
    call each: a NamedTuple by `tuple.__new__(cls, values)`, not its generated `__new__`.
    Also a slots dataclass whose __init__ takes its fields in order: by calling it (one
    call) instead of NEWOBJ and its generated __setstate__ (a loop over fields()). Summaries
    and facts are millions of these, unpickled on every edited re-run."""
    out: dict[type, Reducer] = {}
    for module in modules:
        for cls in vars(module).values():
            if not isinstance(cls, type) or cls.__module__ != module.__name__:
                continue
            if issubclass(cls, tuple) and hasattr(cls, "_fields"):
                # typing.NamedTuple's own __new__ (a class overriding it keeps it)
                doc = getattr(cls.__new__, "__doc__", None) or ""
                if doc.startswith(f"Create new instance of {cls.__name__}("):
                    out[cls] = _as_tuple
            elif dataclasses.is_dataclass(cls) and "__slots__" in vars(cls):
                fields = dataclasses.fields(cls)
                init = getattr(cls.__init__, "__code__", None)
                if (
                    fields
                    # the generated __init__ (not one written in the class), taking every
                    # field in order and nothing else (no InitVar)
                    and init is not None
                    and init.co_filename == "<string>"
                    and len(fields) == len(cls.__dataclass_fields__)
                    and all(f.init and not f.kw_only for f in fields)
                    and not hasattr(cls, "__post_init__")
                ):
                    out[cls] = _by_init(cls, [f.name for f in fields])
    return out


def _as_tuple(obj: tuple[Any, ...]) -> Any:
    return tuple.__new__, (type(obj), tuple(obj))


def _by_init(cls: type, names: list[str]) -> Reducer:
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


@functools.cache
def _summary_table() -> dict[type, Reducer]:
    from . import ir, summary

    return {**copyreg.dispatch_table, **reducers((ir, summary))}


def dumps(value: Any, table: dict[type, Reducer] | None = None) -> bytes:
    """`value` pickled (the highest protocol) with `table` (by default: summaries' types,
    see reducers())."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _summary_table() if table is None else table
    pickler.dump(value)
    return buffer.getvalue()


def _key(*parts: str) -> str:
    # surrogateescape: a project root whose name is not UTF-8 still has a key
    text = "\x1f".join((*parts, _toolkit_hash()))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class Cache:
    def __init__(self, directory: Path | None) -> None:
        self.dir = directory / "cache" / f"v{FORMAT}" if directory else None
        self._dir = str(self.dir) if self.dir is not None else None
        self.used: set[str] = set()
        self.summaries_written = 0
        self.enabled = directory is not None
        self._report_dir = directory  # marked (.gitignore, CACHEDIR.TAG) on the first write

    @staticmethod
    def summary_key(module: str, rel: str, is_package: bool, sha256: str) -> str:
        py = f"{sys.version_info.major}.{sys.version_info.minor}"
        return _key("summary", __version__, FORMAT, py, module, rel, str(is_package), sha256)

    @staticmethod
    def result_key(file_keys: list[str], *extra: str) -> str:
        return _key("result", __version__, FORMAT, *sorted(file_keys), *extra)

    def path_of(self, kind: str, key: str) -> Path | None:
        return self._path(kind, key)

    def _path(self, kind: str, key: str) -> Path | None:
        file = self._file(kind, key)
        return None if file is None else Path(file)

    def _file(self, kind: str, key: str) -> str | None:
        """Where an entry is, as a str: an edited re-run reads every summary (709 on letta),
        and building a Path for each showed."""
        if self._dir is None:
            return None
        return os.path.join(self._dir, kind, key[:2], f"{key}.pickle")

    def get(self, kind: str, key: str) -> Any | None:
        path = self._file(kind, key)
        if path is None:
            return None
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # corrupt, truncated, incompatible: recompute
            with contextlib.suppress(OSError):
                os.unlink(path)
            return None
        self.used.add(path)
        return value

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """An entry written by put_bytes, as written."""
        path = self._path(kind, key)
        if path is None:
            return None
        try:
            payload = path.read_bytes()
        except OSError:
            return None
        self.used.add(str(path))
        return payload

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.dir is None:
            return  # not even pickled: --no-cache
        self.put_bytes(kind, key, dumps(value))

    def put_bytes(self, kind: str, key: str, payload: bytes) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        if self._report_dir is not None:
            mark_report_dir(self._report_dir)
            self._report_dir = None
        try:
            replace_file(path, payload, prefix=".tmp-", suffix=".pickle", durable=False)
        except OSError:
            return  # a read-only or full report dir must not fail the scan
        self.used.add(str(path))
        self.summaries_written += kind == "summary"

    def prune(self, keep_results: int = 8, keep_facts: int = 2) -> None:
        """Drop the summaries no scan used this run once they outnumber the used ones, all
        but the newest `keep_results` result entries and `keep_facts` facts entries.

        Listing the summaries costs a third of a second on a large project, so it waits
        until the summaries written since the last listing (counted in `written`) could
        outnumber the entries this run used."""
        if self.dir is None or not self.dir.exists():
            return
        counter = self.dir / "written"
        try:
            written = int(counter.read_text(encoding="ascii") or 0)
        except (OSError, ValueError):
            written = 0
        written += self.summaries_written
        if written <= len(self.used):
            if self.summaries_written:
                with contextlib.suppress(OSError):
                    replace_file(counter, str(written).encode(), durable=False)
        else:
            summaries = list((self.dir / "summary").glob("*/*.pickle"))
            unused = [p for p in summaries if str(p) not in self.used]
            if len(unused) > max(1, len(summaries) - len(unused)):
                for path in unused:
                    with contextlib.suppress(OSError):
                        path.unlink()
            with contextlib.suppress(OSError):
                replace_file(counter, b"0", durable=False)
        for kind, keep in (("result", keep_results), ("facts", keep_facts)):
            entries = sorted(
                (self.dir / kind).glob("*/*.pickle"),
                key=lambda p: p.stat().st_mtime if p.exists() else 0,
                reverse=True,
            )
            for path in entries[keep:]:
                with contextlib.suppress(OSError):
                    path.unlink()
