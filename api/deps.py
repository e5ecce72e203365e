"""Typed dependencies: the router and the settings loaded once in the app's lifespan.

They are ``async`` (they only read app state) so FastAPI does not send them to its thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.cache import ResponseCache
from api.compute import ComputeGate
from api.settings import Settings
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


RouterDep = Annotated[Router, Depends(get_router)]
GateDep = Annotated[ComputeGate, Depends(get_gate)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
