"""Plugins loaded from disk: agent skills."""

from .skills import Skill, SkillFormatError, SkillLoader, parse_manifest

__all__ = ["Skill", "SkillFormatError", "SkillLoader", "parse_manifest"]
