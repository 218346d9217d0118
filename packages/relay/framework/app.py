"""The application object: routing, hooks, lifespan and the asyncio TCP server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

from .hooks import HookRegistry
from .http import HTTPError, Request, Response, read_request, wants_keep_alive
from .routing import Handler, Router

log = logging.getLogger(__name__)


class App:
    """A tiny async HTTP application.

    ``dispatch`` is the whole request pipeline and is what the HTTP server calls for each
    request; tests can call it directly with a ``Request``.
    """

    def __init__(self, name: str = "relay", *, max_body: int = 8 * 1024 * 1024) -> None:
        self.name = name
        self.max_body = max_body
        self.router = Router()
        self.hooks = HookRegistry()
        self.state: dict[str, Any] = {}
        self._connections: set[asyncio.Task[None]] = set()

    # -- wiring ---------------------------------------------------------------------------

    def route(self, method: str, template: str, handler: Handler) -> None:
        self.router.add(method, template, handler)

    # -- request pipeline -----------------------------------------------------------------

    async def dispatch(self, request: Request) -> Response:
        """Hooks, routing, handler, error mapping. Never raises for handler errors."""
        try:
            response = self.hooks.run_request(request)
            if response is None:
                handler, params = self.router.resolve(request.method, request.path)
                request.params = params
                response = await handler(request)
        except HTTPError as error:
            response = Response.from_error(error)
        except Exception:
            log.exception("unhandled error in %s %s", request.method, request.path)
            response = Response.from_error(HTTPError(500, "internal error"))
        self.hooks.run_response(request, response)
        return response

    async def handle_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Serve requests on one connection until the peer closes it or asks to."""
        peer = writer.get_extra_info("peername")
        client = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else ""
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            while True:
                try:
                    request = await read_request(reader, max_body=self.max_body, client=client)
                except HTTPError as error:
                    writer.write(Response.from_error(error).encode(keep_alive=False))
                    await writer.drain()
                    break
                if request is None:
                    break
                response = await self.dispatch(request)
                keep_alive = wants_keep_alive(request)
                writer.write(response.encode(keep_alive=keep_alive))
                await writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    # -- lifespan and serving -------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[App]:
        """Run ``on_startup`` hooks, yield, then ``on_shutdown`` hooks (also on errors)."""
        self.hooks.run("on_startup", self)
        try:
            yield self
        finally:
            self.hooks.run("on_shutdown", self)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
        """Start listening; the caller owns the server (and the lifespan)."""
        return await asyncio.start_server(self.handle_connection, host, port)

    async def serve(self, host: str, port: int, *, ready: asyncio.Event | None = None) -> None:
        """Serve until SIGINT/SIGTERM, inside the lifespan."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        async with self.lifespan():
            server = await self.start(host, port)
            bound = ", ".join(str(sock.getsockname()) for sock in server.sockets)
            log.info("%s listening on %s", self.name, bound)
            if ready is not None:
                ready.set()
            async with server:
                await stop.wait()
                server.close()
                await server.wait_closed()
            for task in list(self._connections):
                task.cancel()
