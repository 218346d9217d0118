"""Synchronous hooks, called by the framework ON THE EVENT LOOP.

Hooks are plain functions (usually bound methods) so that they are cheap to write: request
ids, auth checks, access logs, start-up wiring. The price is that a hook runs on the loop
thread between two awaits: anything slow in a hook stalls every connection. The static
detector cannot see these calls (the registry calls whatever was registered), which is why
the project lists the hook methods under ``loop-entrypoints`` in ``[tool.blocking-io]``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .http import Request, Response

log = logging.getLogger(__name__)

HOOK_NAMES = ("on_startup", "on_shutdown", "on_request", "on_response")

Hook = Callable[..., Any]


class HookRegistry:
    """Named lists of sync callables.

    - ``on_startup(app)`` / ``on_shutdown(app)``: once, from the app's lifespan.
    - ``on_request(request)``: before routing; may return a ``Response`` to short-circuit.
    - ``on_response(request, response)``: after the handler; may edit the response.
    """

    def __init__(self) -> None:
        self._hooks: dict[str, list[Hook]] = {name: [] for name in HOOK_NAMES}

    def add(self, name: str, hook: Hook) -> Hook:
        if name not in self._hooks:
            raise ValueError(f"unknown hook {name!r}; expected one of {', '.join(HOOK_NAMES)}")
        self._hooks[name].append(hook)
        return hook

    def registered(self, name: str) -> list[Hook]:
        return list(self._hooks[name])

    def run(self, name: str, *args: Any) -> None:
        """Call every hook registered under ``name`` in order; errors propagate."""
        for hook in self._hooks[name]:
            hook(*args)

    def run_request(self, request: Request) -> Response | None:
        """Run ``on_request`` hooks until one answers the request itself."""
        for hook in self._hooks["on_request"]:
            answer = hook(request)
            if isinstance(answer, Response):
                return answer
        return None

    def run_response(self, request: Request, response: Response) -> None:
        """Run ``on_response`` hooks; a failing hook is logged, the response still goes out."""
        for hook in self._hooks["on_response"]:
            try:
                hook(request, response)
            except Exception:
                log.exception("on_response hook %r failed", hook)
