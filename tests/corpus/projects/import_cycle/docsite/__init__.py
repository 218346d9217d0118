# feature: cycle
"""docsite: a documentation renderer whose modules import each other."""
