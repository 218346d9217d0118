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
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

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


@functools.cache
def _shape(symbol: str) -> Shape:
    owner_name, _, name = symbol.rpartition(".")
    top = symbol.partition(".")[0]
    if top not in getattr(sys, "stdlib_module_names", ()) or top in _NEVER_IMPORT:
        # by convention a capitalised owner is a class (requests.Session.get), a lower-case
        # one a module (requests.get)
        return Shape(owner_name.rpartition(".")[2][:1].isupper(), None, False)
    owner = _import(owner_name)
    if owner is None:
        return Shape(True, None, False)  # not on this Python: assume the worst
    if inspect.ismodule(owner):
        return Shape(False, None, False)
    try:
        raw = inspect.getattr_static(owner, name)
    except AttributeError:
        return Shape(True, None, False)
    bound = isinstance(raw, (staticmethod, classmethod))
    try:
        signature = inspect.signature(getattr(owner, name))
    except (TypeError, ValueError, AttributeError):  # some C methods carry none
        return Shape(True, None, bound)
    return Shape(True, signature, bound)


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
