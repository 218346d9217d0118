"""The registry's `nonblocking_if` patterns, evaluated on a call's real arguments.

The static detector skips `os.waitpid(pid, os.WNOHANG)` by reading the source; the gate lets
the same call through by looking at the value. Patterns (blocking_io.shared_rules.models.NONBLOCKING):
`arg1~WNOHANG` (the flag is set), `kw:blocking=False`, `arg0=0` (equal to the literal).
Argument positions do not count `self`, as in the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

_MISSING = object()


_NAMES = {"False": False, "True": True, "None": None}


def _literal(text: str) -> Any:
    if text in _NAMES:
        return _NAMES[text]
    return float(text) if "." in text else int(text)


def compile_conditions(
    conditions: Sequence[str], module: ModuleType | None, method: bool
) -> Callable[..., bool] | None:
    """A predicate that is true when any condition holds; None when there are none usable.

    `module` supplies flag constants (`os.WNOHANG`); a flag the platform lacks never matches.
    """
    checks: list[tuple[str | int, str, Any]] = []
    for condition in conditions:
        where, op, want = re.split(r"([=~])", condition, maxsplit=1)
        slot: str | int = where[3:] if where.startswith("kw:") else int(where[3:]) + method
        if op == "~":
            flag = getattr(module, want, None)
            if isinstance(flag, int) and flag:
                checks.append((slot, "~", flag))
        else:
            checks.append((slot, "=", _literal(want)))
    if not checks:
        return None

    def holds(*args: Any, **kwargs: Any) -> bool:
        for slot, op, want in checks:
            if isinstance(slot, str):
                value = kwargs.get(slot, _MISSING)
            else:
                value = args[slot] if slot < len(args) else _MISSING
            if value is _MISSING:
                continue
            if op == "~":
                if isinstance(value, int) and value & want:
                    return True
            elif value == want and isinstance(value, bool) == isinstance(want, bool):
                return True
        return False

    return holds
