"""Path-template routing: ``/sessions/{session_id}/uploads/{name}`` -> handler + params."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .http import HTTPError, Request, Response

Handler = Callable[[Request], Awaitable[Response]]

_PARAM = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    pattern: re.Pattern[str]

    @classmethod
    def compile(cls, method: str, template: str, handler: Handler) -> Route:
        if not template.startswith("/"):
            raise ValueError(f"route template must start with '/': {template!r}")
        regex = ""
        position = 0
        for match in _PARAM.finditer(template):
            regex += re.escape(template[position : match.start()])
            regex += f"(?P<{match.group(1)}>[^/]+)"
            position = match.end()
        regex += re.escape(template[position:])
        return cls(method.upper(), template, handler, re.compile(f"^{regex}$"))


class Router:
    """Routes are matched in registration order; the first template that fits wins."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        self._routes.append(Route.compile(method, template, handler))

    def routes(self) -> list[Route]:
        return list(self._routes)

    def resolve(self, method: str, path: str) -> tuple[Handler, dict[str, str]]:
        """The handler for ``method path`` and its path params; 404 or 405 otherwise."""
        allowed: set[str] = set()
        for route in self._routes:
            match = route.pattern.match(path)
            if match is None:
                continue
            if route.method == method:
                return route.handler, match.groupdict()
            allowed.add(route.method)
        if allowed:
            raise HTTPError(405, headers={"allow": ", ".join(sorted(allowed))})
        raise HTTPError(404, f"no route for {path}")
