# feature: inherited-method
"""Agent tools."""
