"""The FastAPI application: ``create_app()``; the network is loaded once, in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.cache import ResponseCache
from api.errors import install_error_handlers, problem
from api.routes import corridors, health, network, routes, scenarios
from api.settings import Settings, get_settings
from corridors import __version__
from corridors.data import load_network
from corridors.routing import Router

log = logging.getLogger(__name__)

DESCRIPTION = """Optimal freight routes across Iran, Central Asia and their neighbours:
rail (by gauge), road, air, Caspian and deep-sea links, with every border, transfer, gauge
change and ferry wait priced.  Money is USD, time hours, distance km, emissions kg CO2e.
Errors are RFC 9457 problem details with a stable `type`."""


class BodySizeLimit:
    """Pure ASGI middleware: refuse a body larger than ``max_body_bytes`` with a 413 problem.

    Checks the declared Content-Length and, for chunked bodies, the bytes actually received.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send, int(declared))
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise _TooBig(received)
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooBig as err:
            await self._refuse(scope, receive, send, err.size)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        response = problem(
            413,
            "too-big",
            "Request too big",
            f"body of {size} bytes exceeds {self.max_body_bytes}",
            Request(scope),
        )
        await response(scope, receive, send)


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        net = load_network(Path(settings.data_dir) if settings.data_dir else None)
        app.state.router = Router(net, limits=settings.limits())
        app.state.settings = settings
        app.state.cache = ResponseCache(settings.response_cache_size)
        log.info("corridors API ready: network %s", net.version)
        yield

    app = FastAPI(
        title="corridors", version=__version__, description=DESCRIPTION, lifespan=lifespan
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )

    app.add_middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    for r in (health.router, network.router, routes.router, corridors.router, scenarios.router):
        app.include_router(r, prefix="/v1")
    return app
