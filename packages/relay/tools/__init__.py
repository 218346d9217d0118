"""Subprocess-based agent tools."""

from .runner import ToolManifestError, ToolRegistry, ToolResult, ToolRunner, ToolSpec

__all__ = ["ToolManifestError", "ToolRegistry", "ToolResult", "ToolRunner", "ToolSpec"]
