"""Agent tools: ``/tools`` and ``/tools/{name}/run``."""

from __future__ import annotations

import asyncio

from ..framework import HTTPError, Request, Response
from ..metrics import Metrics
from ..tools.runner import ToolRegistry, ToolRunner


class ToolHandler:
    def __init__(self, registry: ToolRegistry, runner: ToolRunner, metrics: Metrics) -> None:
        self.registry = registry
        self.runner = runner
        self.metrics = metrics

    async def index(self, request: Request) -> Response:
        """GET /tools: the configured tools and the version each one reports."""
        tools = []
        for spec in self.registry.all():
            tools.append(
                {
                    "name": spec.name,
                    "description": spec.description,
                    "timeout": spec.timeout,
                    "version": self.runner.version(spec),
                }
            )
        return Response.json({"tools": tools})

    async def run(self, request: Request) -> Response:
        """POST /tools/{name}/run with the tool's arguments as the JSON body."""
        name = request.params["name"]
        if not self.registry.exists(name):
            raise HTTPError(404, f"no tool {name!r}")
        arguments = request.json()
        if not isinstance(arguments, dict):
            raise HTTPError(422, "tool arguments must be a JSON object")
        result = await asyncio.to_thread(self.runner.run, self.registry.get(name), arguments)
        self.metrics.incr("tools.ok" if result.ok else "tools.failed")
        return Response.json(result.to_dict(), status=200 if result.ok else 502)
