"""Anchor for GET /skills (relay.gateway.skills, relay.plugins.skills).

Guards: ``SkillHandler.index`` -> ``SkillLoader.discover``: the lazy ``Path.glob`` is
consumed by ``sorted`` in a worker thread and the manifests are parsed there too.
"""

from __future__ import annotations

import pytest


@pytest.mark.asyncio
async def test_skill_catalogue_lists_valid_skills_and_skips_broken_ones(call) -> None:
    response = await call("GET", "/skills")

    assert response.status == 200
    assert response.payload()["skills"] == [
        {
            "name": "summarize",
            "description": "Summarize a document in five bullets.",
            "directory": "summarize",
            "tools": ["word-count"],
        },
        {
            "name": "translate",
            "description": "Translate text to English.",
            "directory": "translate",
            "tools": [],
        },
    ]
