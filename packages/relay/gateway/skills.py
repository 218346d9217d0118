"""Skills catalogue: ``/skills`` and ``/skills/{name}``."""

from __future__ import annotations

from ..framework import HTTPError, Request, Response
from ..plugins.skills import SkillLoader


class SkillHandler:
    def __init__(self, loader: SkillLoader) -> None:
        self.loader = loader

    async def index(self, request: Request) -> Response:
        """GET /skills: name, description and tools of every skill."""
        skills = await self.loader.discover()
        return Response.json({"skills": [skill.summary() for skill in skills]})

    async def show(self, request: Request) -> Response:
        """GET /skills/{name}: one skill with its instructions."""
        skill = await self.loader.load(request.params["name"])
        if skill is None:
            raise HTTPError(404, f"no skill {request.params['name']!r}")
        return Response.json({**skill.summary(), "instructions": skill.instructions})
