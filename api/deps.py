"""Typed dependencies: the router and the settings loaded once in the app's lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from corridors.routing import Router


def get_router(request: Request) -> Router:
    router: Router = request.app.state.router
    return router


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


RouterDep = Annotated[Router, Depends(get_router)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
