# feature: module-naming
"""The package `svc.schemas.providers` (it shadows the module providers.py beside it)."""

from .registry import fetch

__all__ = ["fetch"]
