"""Shared by both detectors: the rule registry, `[tool.blocking-io]` config and report contracts.

Imports neither `static_detector` nor `runtime_gate`.
"""

from __future__ import annotations

from .config import ProjectConfig, Settings, load_config
from .errors import InputError
from .models import ApiSpec, Rule, RuntimeSpec, Severity, Target
from .registry import Match, Registry, builtin_registry

__version__ = "0.1.0"  # also the distribution's version (pyproject reads it from here)

__all__ = [
    "ApiSpec",
    "InputError",
    "Match",
    "ProjectConfig",
    "Registry",
    "Rule",
    "RuntimeSpec",
    "Settings",
    "Severity",
    "Target",
    "__version__",
    "builtin_registry",
    "load_config",
]
