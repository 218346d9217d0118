# feature: transitive-cross-module
"""HTTP API of the agent."""
