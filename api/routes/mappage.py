"""The interactive map page (``/map``) and its static assets (``/assets``: Leaflet, the script).

The page asks this service for routes and comparisons; it loads nothing from anywhere else.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import RouterDep, SettingsDep
from corridors.webmap import map_page

router = APIRouter(tags=["map"])


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def page(r: RouterDep, s: SettingsDep) -> HTMLResponse:
    return HTMLResponse(map_page(r.network, tile_url=s.map_tile_url))
