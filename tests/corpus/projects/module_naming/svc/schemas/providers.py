# feature: module-naming
"""Shadowed: the package svc/schemas/providers/ beside it is what `svc.schemas.providers`
imports, so nothing here runs from an import of that name."""

import subprocess


def fetch(name: str) -> str:
    return subprocess.check_output(["pip", "download", name], text=True)  # ok: never imported
