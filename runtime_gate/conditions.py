"""The registry's `nonblocking_if` conditions, evaluated on a call's real arguments.

The static detector skips `os.waitpid(pid, os.WNOHANG)` by reading the source; the gate lets
the same call through by looking at the value. Both read the same parsed conditions
(`blocking_io.shared_rules.models.ArgCondition`): `arg1~WNOHANG` (the flag is set),
`kw:blocking=False`, `arg0=0` (equal to the literal). Argument positions do not count
`self`, as in the source. `kw:fp@buffer` (an in-memory buffer) needs no check here: over a
buffer the call makes no system call for the gate to catch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from blocking_io.shared_rules.models import ArgCondition

_MISSING = object()


def compile_conditions(
    conditions: Sequence[ArgCondition], module: ModuleType | None, method: bool
) -> Callable[..., bool] | None:
    """A predicate that is true when any condition holds; None when there are none usable.

    `module` supplies flag constants (`os.WNOHANG`); a flag the platform lacks never matches.
    """
    checks: list[tuple[str | int, ArgCondition, int | None]] = []
    for condition in conditions:
        slot: str | int = (
            condition.keyword
            if condition.keyword is not None
            else (condition.position or 0) + method
        )
        if condition.buffer:
            continue
        if condition.flag is not None:
            flag = getattr(module, condition.flag, None)
            if isinstance(flag, int) and flag:
                checks.append((slot, condition, flag))
        else:
            checks.append((slot, condition, None))
    if not checks:
        return None

    def holds(*args: Any, **kwargs: Any) -> bool:
        for slot, condition, flag in checks:
            if isinstance(slot, str):
                value = kwargs.get(slot, _MISSING)
            else:
                value = args[slot] if slot < len(args) else _MISSING
            if value is _MISSING:
                continue
            if flag is not None:
                if isinstance(value, int) and value & flag:
                    return True
            elif condition.equals(value):
                return True
        return False

    return holds
