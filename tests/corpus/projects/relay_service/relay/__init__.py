# feature: module-singleton
"""relay: a webhook relay service."""
