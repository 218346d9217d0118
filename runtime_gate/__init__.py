"""The runtime gate: a pytest plugin and a context manager over Blockbuster.

Tests in the anchor folders drive real async entry points; a blocking primitive that runs on
the event loop thread from the project's own code (`scanned-modules`) fails them, with the
registry rule, where it happened and how to fix it. See `blocking_io.runtime_gate.plugin`.

Imports are lazy: the pytest plugin loads this package in every pytest run of the
environment and must cost nothing where it is not configured.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import BlockingIOViolation, SwallowedBlockingIO
    from .gates import Gate, GateError, gate, guard

_EXPORTS = {
    "BlockingIOViolation": "errors",
    "SwallowedBlockingIO": "errors",
    "Gate": "gates",
    "GateError": "gates",
    "gate": "gates",
    "guard": "gates",
}

__all__ = ["BlockingIOViolation", "Gate", "GateError", "SwallowedBlockingIO", "gate", "guard"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'blocking_io.runtime_gate' has no attribute {name!r}")
    # not cached in globals(): always the module sys.modules holds now (pytester's inline
    # runs drop and re-import modules; a cached class would belong to a dropped copy)
    return getattr(importlib.import_module(f".{module}", __name__), name)
