# feature: framework-hook
"""The runner calls hooks by name from the plugin registry (unresolved dispatch)."""

import importlib


def load_plugins(names: list[str]) -> list:
    return [importlib.import_module(f"botkit.plugins.{name}") for name in names]  # ok: start-up code


async def dispatch(plugins: list, text: str) -> None:
    for plugin in plugins:
        plugin.on_message(text)  # ok: unresolved dispatch (the hooks themselves are roots)
