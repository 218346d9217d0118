# feature: framework-hook
"""Bundled plugins."""
