# feature: transitive-depth
"""A chain four calls deep: the finding is at the call in the async function only."""

import subprocess


def _git(*args: str) -> str:
    return subprocess.check_output(["git", *args], text=True)  # ok: reported at the async call site


def _current_branch() -> str:
    return _git("rev-parse", "--abbrev-ref", "HEAD").strip()  # ok: reported at the async call site


def _release_name() -> str:
    return f"release-{_current_branch()}"  # ok: reported at the async call site


def build_info() -> dict:
    return {"release": _release_name()}  # ok: reported at the async call site


async def status_endpoint() -> dict:
    return {"build": build_info()}  # expect: BIO201


async def banner() -> str:
    info = build_info()  # expect: BIO201
    return info["release"]
