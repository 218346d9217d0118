"""Set and exactly restore one attribute, on modules, classes and C types alike.

Blockbuster restores a patch by setting the original back, which leaves a copy in a subclass
(`socket.socket.connect_ex` lives on `_socket.socket`) and, through forbiddenfruit's `curse`,
a `_c_<name>` entry in C types. Here the owner's `__dict__` ends up as it was: an attribute
that was inherited is deleted again instead of shadowed.
"""

from __future__ import annotations

import ctypes
from typing import Any

try:  # CPython: the way into the __dict__ of C types (`io.BufferedReader`, `_thread.lock`)
    from forbiddenfruit import patchable_builtin
except ImportError:  # pragma: no cover - other interpreters
    patchable_builtin = None

_MISSING = object()


def _type_dict(owner: type) -> dict[str, Any]:
    if patchable_builtin is None:  # pragma: no cover
        raise TypeError(f"cannot patch C type {owner.__qualname__} on this interpreter")
    return patchable_builtin(owner)


def _set(owner: Any, name: str, value: Any) -> None:
    try:
        setattr(owner, name, value)
    except TypeError:  # immutable (C) type
        _type_dict(owner)[name] = value
        ctypes.pythonapi.PyType_Modified(ctypes.py_object(owner))


def _delete(owner: Any, name: str) -> None:
    try:
        delattr(owner, name)
    except TypeError:
        _type_dict(owner).pop(name, None)
        ctypes.pythonapi.PyType_Modified(ctypes.py_object(owner))


class Patch:
    """`owner.name = replacement` until `restore()`; idempotent in both directions."""

    __slots__ = ("active", "name", "owned", "owner", "replacement")

    def __init__(self, owner: Any, name: str, replacement: Any) -> None:
        self.owner = owner
        self.name = name
        self.replacement = replacement
        self.owned: Any = _MISSING
        self.active = False

    def apply(self) -> None:
        if self.active:
            return
        self.owned = vars(self.owner).get(self.name, _MISSING)
        self.active = True  # before the write: an interrupt right after it still restores
        try:
            _set(self.owner, self.name, self.replacement)
        except BaseException:
            self.active = False
            raise

    def restore(self) -> None:
        if not self.active:
            return
        self.active = False
        if self.owned is _MISSING:
            _delete(self.owner, self.name)
        else:
            _set(self.owner, self.name, self.owned)
        self.owned = _MISSING

    def __repr__(self) -> str:
        owner = getattr(self.owner, "__qualname__", getattr(self.owner, "__name__", self.owner))
        return f"<Patch {owner}.{self.name} {'active' if self.active else 'inactive'}>"
