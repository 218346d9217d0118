# feature: dynamic-import
"""A plugin host that loads handlers by name from async request handlers."""

import asyncio
import importlib
import importlib.util
import runpy
import sys
from pathlib import Path

PLUGIN_DIR = Path("/srv/plugins")


async def load_handler(name: str):
    module = importlib.import_module(f"plugins.{name}")  # expect: BIO118
    return module.handle


async def load_relative(name: str):
    return importlib.import_module(f".{name}", package="plugins")  # expect: BIO118


async def hot_reload(name: str):
    return importlib.reload(sys.modules[f"plugins.{name}"])  # expect: BIO118


async def load_file(name: str):
    spec = importlib.util.spec_from_file_location(name, PLUGIN_DIR / f"{name}.py")  # ok: builds a spec, reads nothing
    module = importlib.util.module_from_spec(spec)  # ok: creates an empty module
    spec.loader.exec_module(module)  # expect: BIO118
    return module


async def legacy_import(name: str):
    return __import__(name)  # expect: BIO118


async def run_script(path: str) -> dict:
    return runpy.run_path(path)  # expect: BIO118


async def load_handler_offloaded(name: str):
    module = await asyncio.to_thread(importlib.import_module, f"plugins.{name}")  # ok: offloaded by reference
    return module.handle


def _load_file_sync(name: str):
    spec = importlib.util.spec_from_file_location(name, PLUGIN_DIR / f"{name}.py")  # ok: runs in a worker thread
    module = importlib.util.module_from_spec(spec)  # ok: runs in a worker thread
    spec.loader.exec_module(module)  # ok: runs in a worker thread
    return module


async def load_file_offloaded(name: str):
    return await asyncio.to_thread(_load_file_sync, name)  # ok: the sync loader runs in a thread


async def is_loaded(name: str) -> bool:
    return f"plugins.{name}" in sys.modules  # ok: a dict lookup


async def has_plugin(name: str) -> bool:
    return importlib.util.resolve_name(f".{name}", "plugins") is not None  # ok: string arithmetic, no import
