"""Typed dependencies: the router and the settings loaded once in the app's lifespan.

They are ``async`` (they only read app state) so FastAPI does not send them to its thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.cache import ResponseCache
from api.compute import ComputeGate
from api.settings import Settings
from corridors.errors import RequestError
from corridors.routing import Router


async def get_router(request: Request) -> Router:
    router: Router = request.app.state.router
    return router


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_cache(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.cache
    return cache


async def get_gate(request: Request) -> ComputeGate:
    gate: ComputeGate = request.app.state.gate
    return gate


def _query_names(d: Dependant) -> set[str]:
    """The query parameters an endpoint and its dependencies declare."""
    return {p.alias for p in d.query_params}.union(*(_query_names(x) for x in d.dependencies))


async def no_unknown_query(request: Request) -> None:
    """A query parameter the endpoint does not take is an error, not silently ignored: a simple
    ``GET /v1/routes?modes=rail`` would otherwise answer for every mode."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise RequestError(
            f"unknown query parameter(s): {', '.join(unknown)}; this endpoint takes {takes}"
            " (options a GET does not take go in the POST body, where the endpoint has one)"
        )


RouterDep = Annotated[Router, Depends(get_router)]
GateDep = Annotated[ComputeGate, Depends(get_gate)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
