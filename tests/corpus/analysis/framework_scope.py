# feature: framework-scope
"""A by-name framework API on a receiver of unknown type counts where the framework can be:
asyncio's loops reach modules that never import asyncio; tornado's `add_callback` only counts
in a module that imports tornado (`add_callback` is a common name)."""

import subprocess
from pathlib import Path

STATE = Path("/var/lib/hub/state")


class Hub:
    def __init__(self, loop, events) -> None:
        self.loop = loop
        self.events = events

    def _flush(self) -> None:
        STATE.write_text("flushed")  # expect: BIO103

    def _reindex(self) -> None:
        subprocess.run(["reindex"])  # ok: events.add_callback is not tornado's here: no tornado import

    def schedule(self) -> None:
        self.loop.call_soon(self._flush)  # ok: the callback's body is where it blocks
        self.events.add_callback(self._reindex)  # ok: an unknown object's add_callback


def _export(request) -> str:
    return STATE.read_text()  # ok: router.add_get is not aiohttp's here: no aiohttp import


def register(router) -> None:
    router.add_get("/export", _export)  # ok: an unknown object's add_get
