"""A small asyncio HTTP application framework (router, hooks, lifespan, server)."""

from .app import App
from .hooks import HOOK_NAMES, HookRegistry
from .http import HTTPError, Request, Response
from .routing import Router

__all__ = ["HOOK_NAMES", "App", "HTTPError", "HookRegistry", "Request", "Response", "Router"]
