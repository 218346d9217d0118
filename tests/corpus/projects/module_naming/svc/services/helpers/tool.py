# feature: module-naming
"""`svc.services.helpers.tool` (helpers/ has no __init__.py): installs a tool's requirements."""

import subprocess


def run(requirement: str) -> int:
    return subprocess.call(["pip", "install", requirement])  # ok: reported at the async call site
