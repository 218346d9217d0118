"""Shared by both detectors: the rule registry, `[tool.blocking-io]` config and report contracts.

Imports nothing else of ours (the other parts build on it).
"""

from __future__ import annotations

from .config import ProjectConfig, Settings, load_config
from .errors import InputError
from .knowledge import ApiSpec, FrameworkPack, MethodHook, TypeKnowledge, TypeRef
from .models import Rule, RuntimeSpec, Severity, Target
from .registry import Match, Registry, builtin_registry

__all__ = [
    "ApiSpec",
    "FrameworkPack",
    "InputError",
    "Match",
    "MethodHook",
    "ProjectConfig",
    "Registry",
    "Rule",
    "RuntimeSpec",
    "Settings",
    "Severity",
    "Target",
    "TypeKnowledge",
    "TypeRef",
    "builtin_registry",
    "load_config",
]
