"""The FastAPI application: ``create_app()``; the network is loaded once, in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers, problem
from api.routes import health, network, routes
from api.settings import Settings, get_settings
from corridors import __version__
from corridors.data import load_network
from corridors.routing import Router

log = logging.getLogger(__name__)

DESCRIPTION = """Optimal freight routes across Iran, Central Asia and their neighbours:
rail (by gauge), road, air, Caspian and deep-sea links, with every border, transfer, gauge
change and ferry wait priced.  Money is USD, time hours, distance km, emissions kg CO2e.
Errors are RFC 9457 problem details with a stable `type`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        net = load_network(Path(settings.data_dir) if settings.data_dir else None)
        app.state.router = Router(net)
        app.state.settings = settings
        log.info("corridors API ready: network %s", net.version)
        yield

    app = FastAPI(title="corridors", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])

    @app.middleware("http")
    async def limit_body(request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return problem(413, "too-big", "Request too big",
                           f"body of {length} bytes exceeds {settings.max_body_bytes}", request)
        return await call_next(request)

    install_error_handlers(app)
    for r in (health.router, network.router, routes.router):
        app.include_router(r, prefix="/v1")
    return app
