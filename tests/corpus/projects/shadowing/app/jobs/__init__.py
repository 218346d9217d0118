# feature: name-collision
"""Background jobs."""
