"""What a callable can be called with: whether `x.name(...)` at a call site the resolver
could not type could be a registry target (`could_be`) or a project function (`accepts`).

`text.replace("\\\\", "/")` cannot be `Path.replace(target)`, `m.group("token")` cannot be
`Path.group()`, and `await part.write(w)` is no blocking primitive (its result is awaited).
Ruling such sites out before astroid builds the module is most of what keeps astroid
inference cheap on real code, and it never hides a call that could be the primitive.

Signatures come from the running interpreter, for standard-library targets only (importing
a third-party package to read a signature could run anything); other targets accept any
arguments. Module-level functions (`os.remove`, `json.load`) are reached through a module,
which the resolver follows itself: an unresolved `workers.remove(p)` is not one of them.

Reading a signature imports its module (ssl, sqlite3, http.client and what they import: about
10 ms of a small scan), so what binding needs of it (each parameter's name, kind and whether
it has a default) is kept beside this module like bytecode, per interpreter, and later
processes read it there (`shared_rules/compiled.py`).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import marshal
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from blocking_io.shared_rules.compiled import compiled_path, read_compiled, write_compiled

if TYPE_CHECKING:
    from .summary import CallSite, FuncSummary

# standard-library modules whose import does something visible
_NEVER_IMPORT = frozenset({"antigravity", "this", "idlelib", "turtle", "turtledemo", "tkinter"})


class Shape(NamedTuple):
    is_method: bool  # False: a module-level function
    signature: inspect.Signature | None  # None: accepts anything (unknown)
    bound: bool  # the signature already excludes self (staticmethod, classmethod)


def could_be(symbol: str, npos: int, keywords: Sequence[str], unpacks: bool) -> bool:
    """Whether a method call `x.<name>(<npos positional>, <keywords>)` could be `symbol`."""
    shape = _shape(symbol)
    if not shape.is_method:
        return False
    if shape.signature is None or unpacks:
        return True
    args = [None] * (npos + (0 if shape.bound else 1))
    try:
        shape.signature.bind(*args, **dict.fromkeys(keywords))
    except TypeError:
        return False
    return True


def accepts(fs: FuncSummary, offset: int, site: CallSite) -> bool:
    """Whether the arguments written at `site` bind to the parameters of the project
    function `fs` (`offset`: parameters bound before them, `self`). A call that cannot
    bind raises TypeError: that function is not what the site calls."""
    if site.unpacks:
        return True
    names = [name for name, _ in fs.params if name not in (fs.vararg, fs.kwarg)]
    positional = names[offset : fs.positional]
    if len(site.args) > len(positional) and fs.vararg is None:
        return False
    filled = set(positional[: len(site.args)])
    for key, _ in site.kwargs:
        if key in filled or (key not in names[offset:] and fs.kwarg is None):
            return False
        filled.add(key)
    return all(name in filled or name in fs.defaults for name in names[offset:])


# what binding reads of a signature: (name, kind's name, has a default) per parameter
_Params = tuple[tuple[str, str, bool], ...]
# Shape's fields, with _Params for the signature: what is stored
_Facts = tuple[bool, "_Params | None", bool]


@functools.cache
def _shape(symbol: str) -> Shape:
    owner_name = symbol.rpartition(".")[0]
    top = symbol.partition(".")[0]
    if top not in getattr(sys, "stdlib_module_names", ()) or top in _NEVER_IMPORT:
        # by convention a capitalised owner is a class (requests.Session.get), a lower-case
        # one a module (requests.get)
        return Shape(owner_name.rpartition(".")[2][:1].isupper(), None, False)
    table = _stored()
    facts = table.get(symbol)
    if facts is None:
        facts = _read(symbol)
        if _from_stdlib(top) and (store := _store()) is not None:
            table[symbol] = facts
            write_compiled(store, marshal.dumps(table))
    is_method, params, bound = facts
    if params is None:
        return Shape(is_method, None, bound)
    signature = inspect.Signature(
        [
            inspect.Parameter(
                param,
                getattr(inspect.Parameter, kind),
                default=None if has_default else inspect.Parameter.empty,
            )
            for param, kind, has_default in params
        ]
    )
    return Shape(is_method, signature, bound)


def _read(symbol: str) -> _Facts:
    """The shape of a standard-library `symbol` on this interpreter (imports its module)."""
    owner_name, _, name = symbol.rpartition(".")
    owner = _import(owner_name)
    if owner is None:
        return (True, None, False)  # not on this Python: assume the worst
    if inspect.ismodule(owner):
        return (False, None, False)
    try:
        raw = inspect.getattr_static(owner, name)
    except AttributeError:
        return (True, None, False)
    bound = isinstance(raw, (staticmethod, classmethod))
    try:
        signature = inspect.signature(getattr(owner, name))
    except (TypeError, ValueError, AttributeError):  # some C methods carry none
        return (True, None, bound)
    params = tuple(
        (p.name, p.kind.name, p.default is not p.empty) for p in signature.parameters.values()
    )
    return (True, params, bound)


def _from_stdlib(top: str) -> bool:
    """Whether the module `top` was imported from this interpreter's standard library, not
    shadowed by a module of that name earlier on sys.path (the scanned project's, run as
    `python -m blocking_io` at its root): only what the standard library says is kept."""
    module = sys.modules.get(top)
    if module is None:
        return False
    where = getattr(module, "__file__", None)  # None: built in
    stdlib = os.path.dirname(getattr(os, "__file__", None) or "/nowhere/")
    return where is None or where.startswith(stdlib + os.sep)


@functools.cache
def _store() -> Path | None:
    """Where the shapes read so far on this interpreter are kept, keyed by this module's
    code, which decides what they hold (None: not in a directory, e.g. a zip)."""
    here = Path(__file__)
    try:
        code = here.read_bytes()
    except OSError:
        return None
    return compiled_path(here.parent, "signatures", "marshal", [code])


@functools.cache
def _stored() -> dict[str, _Facts]:
    store = _store()
    payload = None if store is None else read_compiled(store)
    if payload is None:
        return {}
    try:
        table = marshal.loads(payload)
    except Exception:  # corrupt: read the shapes again
        return {}
    return table if isinstance(table, dict) else {}


def _import(dotted: str) -> object | None:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # ImportError, or a module that fails on this platform
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None
