# feature: module-naming
"""Handlers importing through namespace subpackages and same-named modules."""

from svc.helpers.tool import run as normalise
from svc.schemas.providers import fetch
from svc.services.helpers.tool import run as install
from svc.utils import files
from svc.utils.files import load


async def read_settings(path: str) -> str:
    return load(path)  # expect: BIO102


async def settings_label(path: str) -> str:
    return files.label(path)  # ok: pure path arithmetic


async def add_tool(requirement: str) -> int:
    return install(requirement)  # expect: BIO201


async def tool_key(requirement: str) -> str:
    return normalise(requirement)  # ok: svc.helpers.tool.run is a str method


async def provider_url(name: str) -> str:
    return fetch(name)  # ok: the package shadows providers.py, whose fetch runs pip
