"""The FastAPI application: ``create_app()``; the network is loaded once, in the lifespan."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.cache import ResponseCache
from api.compute import ComputeGate
from api.deps import no_unknown_query
from api.docs import install_offline_docs
from api.errors import install_error_handlers, problem
from api.routes import (
    assignment,
    corridors,
    health,
    mappage,
    matrix,
    network,
    risk,
    routes,
    scenarios,
    uncertainty,
)
from api.routes.scenarios import check_bundled_scenarios
from api.settings import Settings, get_settings
from corridors import __version__
from corridors.data import load_network
from corridors.routing import Router
from corridors.webmap import STATIC

log = logging.getLogger(__name__)
access_log = logging.getLogger("corridors.access")

DESCRIPTION = """Optimal freight routes across Iran, Central Asia and their neighbours:
rail (by gauge), road, air, Caspian and deep-sea links, with every border, transfer, gauge
change and ferry wait priced.  Money is USD, time hours, distance km, emissions kg CO2e.
Errors are RFC 9457 problem details with a stable `type`."""


class BodySizeLimit:
    """Pure ASGI middleware: refuse a body larger than ``max_body_bytes`` with a 413 problem.

    The body is read here, up to the limit, before the app sees it (a declared Content-Length
    is checked first; a chunked body is counted as it arrives), then replayed to the app: an
    oversized body is a 413 whatever its framing, and nothing is half-read.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, send, int(declared))
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._refuse(scope, send, size)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, size: int) -> None:
        response = problem(
            413,
            "too-big",
            "Request too big",
            f"body of at least {size} bytes exceeds {self.max_body_bytes}",
            Request(scope),
        )

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


class HeadAsGet:
    """Pure ASGI middleware: answer HEAD on every GET endpoint (the GET's status and headers,
    no body), as HTTP requires."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class Guard:
    """Pure ASGI middleware inside CORS: an access-log line per request (request id, status,
    latency), ``X-Request-ID`` and ``X-Network-Version`` headers, and any exception that
    escaped the handlers as a 500 problem (so it still carries the CORS headers)."""

    def __init__(self, app: ASGIApp, network_version: Callable[[], str], log_json: bool) -> None:
        self.app = app
        self.network_version = network_version
        self.log_json = log_json

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = (
            dict(scope["headers"]).get(b"x-request-id", b"").decode()[:64] or uuid.uuid4().hex
        )
        started = time.perf_counter()
        status = 500
        extra = [
            (b"x-request-id", request_id.encode()),
            (b"x-network-version", self.network_version().encode()),
        ]

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:  # noqa: BLE001 - a bug of ours: logged, answered as problem+json
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            response = problem(
                500,
                "internal-error",
                "Internal error",
                "an internal error occurred; it has been logged",
                Request(scope),
            )
            await response(scope, receive, send_with_headers)
        finally:
            ms = (time.perf_counter() - started) * 1000.0
            fields = {
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "ms": round(ms, 1),
            }
            if self.log_json:
                access_log.info(json.dumps(fields))
            else:
                access_log.info(
                    "%s %s %s %d %.1f ms", request_id, scope["method"], scope["path"], status, ms
                )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        data_dir = Path(settings.data_dir) if settings.data_dir else None
        net = load_network(data_dir, check_geometry=True)
        router = Router(net, limits=settings.limits())
        check_bundled_scenarios(router)  # a malformed scenario stops start-up, with its cause
        app.state.router = router
        app.state.settings = settings
        app.state.cache = ResponseCache(settings.response_cache_size)
        gate = ComputeGate(
            router,
            settings.compute_workers,
            settings.compute_queue,
            settings.request_deadline_s,
            processes=settings.compute_processes,
        )
        try:
            gate.start()  # every worker has loaded the network before the first request
            app.state.gate = gate
            log.info("corridors API ready: network %s", net.version)
            yield
        finally:
            gate.close()

    app = FastAPI(
        title="corridors",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )

    def network_version() -> str:
        router = getattr(app.state, "router", None)
        return router.network.version if router is not None else ""

    # the last added is the outermost: CORS wraps everything, so 413s and 500s carry it too
    app.add_middleware(HeadAsGet)
    app.add_middleware(Guard, network_version=network_version, log_json=settings.log_json)
    app.add_middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "X-Network-Version", "Retry-After"],
        )
    install_error_handlers(app)
    for r in (
        health.router,
        network.router,
        routes.router,
        corridors.router,
        scenarios.router,
        assignment.router,
        matrix.router,
        uncertainty.router,
        risk.router,
    ):
        app.include_router(r, prefix="/v1", dependencies=[Depends(no_unknown_query)])
    app.include_router(mappage.router)
    app.mount("/assets", StaticFiles(directory=STATIC), name="assets")
    install_offline_docs(app)
    return app
