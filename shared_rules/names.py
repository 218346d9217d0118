"""How a qualified name is shown to a person: one rule for every message and report."""

from __future__ import annotations


def short_name(qualname: str) -> str:
    """From the class on, else the module and the function; `<locals>` dropped.

    `relay.gateway.sessions.SessionHandler.create` -> `SessionHandler.create`,
    `relay.store.load` -> `store.load`, `app.main.<locals>.helper` -> `main.helper`.
    """
    parts = [p for p in qualname.split(".") if p != "<locals>"]
    for index, part in enumerate(parts[:-1]):
        if part[:1].isupper():
            return ".".join(parts[index:])
    return ".".join(parts[-2:])
