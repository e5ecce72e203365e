"""The interactive map: one self-contained, offline HTML file (``corridors map``) or the
service's ``/map`` page.

Both are the same page (``static/map/``: ``map.html``, ``map.css``, ``map.js``, with Leaflet
from ``static/leaflet/``), drawn by mode (rail, road, Caspian, deep sea) over the country
outlines (``network_data/geometry/countries.geojson``) and the network:

- the file embeds everything: Leaflet, the outlines, the network, the places, the corridor
  comparison (every corridor's best route, its legs, borders, port calls and risks in popups)
  and its time/cost-distance chart as SVG.  It needs no network access and no tile server;
- the service page links Leaflet and the script from ``/assets`` and asks the REST service for
  the route or the comparison the user sets up in its form.

A background map is optional (``tile_url``, e.g. a tile server of the user's own).
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from corridors.charts import chart_footnote, tcd_chart
from corridors.compare import compare
from corridors.geojson import network_geojson, route_geojson
from corridors.geometry import COUNTRIES_FILE
from corridors.model import Network, Route
from corridors.request import CARGO_CLASSES, OBJECTIVES, RouteRequest
from corridors.routing import Router
from corridors.views.comparison import comparison_dict
from corridors.views.routes import route_dict

__all__ = ["map_file", "map_page", "places"]

STATIC = Path(__file__).resolve().parent / "static"
NOTE = (
    "Sea legs follow their sea lanes (searoute); rail, road and air legs are drawn straight "
    "between their places. Country outlines: Natural Earth 1:10m (public domain)."
)


@lru_cache(maxsize=16)
def _asset(rel: str) -> str:
    """A packaged asset's text, read once per process."""
    return (STATIC / rel).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def places(net: Network) -> dict[str, list[Any]]:
    """Location id -> ``[lat, lon, name]``, for popups and event markers."""
    return {x.id: [x.lat, x.lon, x.name] for x in net.locations.values()}


def countries_geojson_text(net: Network) -> str:
    """The country outlines of the network's data directory as GeoJSON text (an empty
    collection without ``geometry/``), read once per data directory."""
    return _countries_text(None if net.data_dir is None else net.data_dir / COUNTRIES_FILE)


@lru_cache(maxsize=4)
def _countries_text(path: Path | None) -> str:
    if path is None or not path.is_file():
        return '{"type": "FeatureCollection", "features": []}'
    return path.read_text(encoding="utf-8")


def countries_geojson(net: Network) -> dict[str, Any]:
    """The country outlines as a GeoJSON object (parsed from the cached text)."""
    loaded: dict[str, Any] = json.loads(countries_geojson_text(net))
    return loaded


def _route_view(net: Network) -> Any:
    def view(route: Route) -> dict[str, Any]:
        return {**route_dict(route), "geometry": route_geojson(net, route)}

    return view


def _page(title: str, config: dict[str, Any], styles: str, scripts: str, form: str) -> str:
    return Template(_asset("map/map.html")).substitute(
        title=escape(title),
        styles=styles,
        scripts=scripts,
        form=form,
        note=escape(NOTE),
        config=_script_json(config),
    )


def map_file(
    router: Router, req: RouteRequest, *, with_comparison: bool = True, tile_url: str | None = None
) -> str:
    """One self-contained HTML page: the request's corridor comparison (or only its best route,
    ``with_comparison=False``) on the map, offline.

    Raises what :meth:`Router.route` and :func:`corridors.compare.compare` raise."""
    net = router.network
    config: dict[str, Any] = {
        "mode": "file",
        "countries": countries_geojson(net),
        "network": network_geojson(net),
        "places": places(net),
        "tileUrl": tile_url,
    }
    origin, destination = (
        net.locations[router.resolve(x)].name for x in (req.origin, req.destination)
    )
    if with_comparison:
        cmp = compare(router, req)
        config["comparison"] = comparison_dict(cmp, _route_view(net))
        drawn = [(r.corridor.name, r.route) for r in cmp.results if r.route][:4]
        if drawn:
            names = {x.id: x.name for x in net.locations.values()}
            note = chart_footnote(net.version, drawn[0][1], cmp.value_of_time_usd_per_unit_h)
            svg = tcd_chart(drawn, "svg", names=names, footnote=note).decode("utf-8")
            config["chartSvg"] = svg[svg.find("<svg") :]
    else:
        config["route"] = _route_view(net)(router.route(req))
    styles = f"<style>{_asset('leaflet/leaflet.css')}\n{_asset('map/map.css')}</style>"
    scripts = (
        f"<script>{_asset('leaflet/leaflet.js')}</script>\n<script>{_asset('map/map.js')}</script>"
    )
    return _page(f"corridors: {origin} → {destination}", config, styles, scripts, "")


def _options(values: Any, selected: str) -> str:
    return "".join(
        f"<option{' selected' if v == selected else ''}>{escape(v)}</option>" for v in values
    )


def _form(net: Network) -> str:
    profiles = sorted(net.risk.profiles)
    return (
        '<form id="query">'
        '<label>origin <input name="origin" value="Tashkent" required></label>'
        '<label>destination <input name="destination" value="Istanbul" required></label>'
        f'<label>objective <select name="objective">{_options(OBJECTIVES, "generalized")}'
        "</select></label>"
        f'<label>cargo <select name="cargo">{_options(CARGO_CLASSES, "container")}</select></label>'
        '<label>exclude countries <input name="exclude_countries" placeholder="e.g. RU, AF">'
        "</label>"
        '<label>exclude passages <input name="exclude_passages" placeholder="e.g. ormuz">'
        "</label>"
        f'<label>risk profile <select name="risk_profile">{_options(profiles, "none")}'
        "</select></label>"
        '<div class="buttons"><button id="route-button">Route</button>'
        '<button id="compare-button">Compare corridors</button></div>'
        "</form>"
    )


def map_page(
    net: Network,
    *,
    api_prefix: str = "/v1",
    static_prefix: str = "/assets",
    tile_url: str | None = None,
) -> str:
    """The service's map page: Leaflet and the script from ``static_prefix``, data from the
    REST service at ``api_prefix``."""
    config = {"mode": "service", "api": api_prefix, "tileUrl": tile_url}
    styles = (
        f'<link rel="stylesheet" href="{static_prefix}/leaflet/leaflet.css">'
        f'<link rel="stylesheet" href="{static_prefix}/map/map.css">'
    )
    scripts = (
        f'<script src="{static_prefix}/leaflet/leaflet.js"></script>'
        f'<script src="{static_prefix}/map/map.js"></script>'
    )
    return _page("corridors map", config, styles, scripts, _form(net))
