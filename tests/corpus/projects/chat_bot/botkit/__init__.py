# feature: framework-hook
"""botkit: plugins export sync on_* hooks that the bot calls on its event loop."""
