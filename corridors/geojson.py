"""RFC 7946 GeoJSON views: the network (locations, links, crossings) and a route's legs.

Coordinates are ``[lon, lat]``.  A sea link follows its sea lane (``geometry/sea_lines.csv``,
from searoute, the lines its distance was measured on); rail, road and air links and border
crossings are straight segments between their end locations.  Every line says which:
``geometry`` is ``searoute`` or ``straight``.
"""

from __future__ import annotations

from typing import Any

from corridors.geometry import link_line
from corridors.model import Network, Route


def _point(net: Network, loc_id: str) -> list[float]:
    loc = net.locations[loc_id]
    return [loc.lon, loc.lat]


def line_of(net: Network, ref: str, from_id: str, to_id: str) -> tuple[list[list[float]], str]:
    """The line of a link or crossing ``ref`` travelled from ``from_id`` to ``to_id``, and how
    it was drawn (``searoute`` or ``straight``)."""
    link = net.link_by_id.get(ref)
    if link is None:
        return [_point(net, from_id), _point(net, to_id)], "straight"
    points, method = link_line(link, net.locations, net.sea_lines)
    if link.from_id != from_id:
        points = points[::-1]
    return [[x, y] for x, y in points], method


def network_geojson(
    net: Network,
    *,
    mode: str | None = None,
    status: str | None = None,
    country: str | None = None,
    with_sources: bool = False,
) -> dict[str, Any]:
    """Locations as Points, links and border crossings as LineStrings, optionally filtered;
    ``with_sources`` adds each item's source (title, publisher, URL, year, kind)."""

    def keep_loc(loc_id: str) -> bool:
        return country is None or net.locations[loc_id].country == country

    features: list[dict[str, Any]] = []
    for loc in net.locations.values():
        if not keep_loc(loc.id):
            continue
        if mode is not None and not any(m.startswith(mode) for m in net.modes_at(loc.id)):
            continue
        features.append(
            {
                "type": "Feature",
                "id": loc.id,
                "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                "properties": {
                    "feature": "location",
                    "name": loc.name,
                    "country": loc.country,
                    "kind": loc.kind,
                    "modes": sorted(net.modes_at(loc.id)),
                    **({"source_detail": _source(net, loc.source)} if with_sources else {}),
                },
            }
        )
    items: list[tuple[str, Any]] = [("link", x) for x in net.links] + [
        ("border", x) for x in net.borders
    ]
    for feature, x in items:
        if mode is not None and x.mode != mode or status is not None and x.status != status:
            continue
        if not (keep_loc(x.from_id) or keep_loc(x.to_id)):
            continue
        coords, method = line_of(net, x.id, x.from_id, x.to_id)
        props = {
            "feature": feature,
            "mode": x.mode,
            "from_id": x.from_id,
            "to_id": x.to_id,
            "distance_km": x.distance_km,
            "status": x.status,
            "opening_year": x.opening_year,
            "source": x.source,
            "geometry": method,
        }
        if with_sources:
            props["source_detail"] = _source(net, x.source)
        features.append(
            {
                "type": "Feature",
                "id": x.id,
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _source(net: Network, key: str) -> dict[str, Any]:
    src = net.sources[key]
    return {
        "key": key,
        "kind": src.kind,
        "title": src.title,
        "publisher": src.publisher,
        "url": src.url,
        "year": src.year,
    }


def route_geojson(net: Network, route: Route) -> dict[str, Any]:
    """One LineString Feature per leg of the route (sea legs along their sea lanes), with the
    leg's figures; events (borders, port calls...) as properties of the leg they follow."""
    features = []
    for leg in route.legs:
        coords, method = line_of(net, leg.link_id, leg.from_id, leg.to_id)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "mode": leg.mode,
                    "basin": _basin(net, leg.link_id),
                    "link_id": leg.link_id,
                    "from_id": leg.from_id,
                    "to_id": leg.to_id,
                    "from_name": net.locations[leg.from_id].name,
                    "to_name": net.locations[leg.to_id].name,
                    "distance_km": leg.distance_km,
                    "time_h": leg.time_h,
                    "cost_usd": leg.cost_usd,
                    "co2_kg": leg.co2_kg,
                    "countries": list(leg.countries),
                    "geometry": method,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _basin(net: Network, ref: str) -> str | None:
    link = net.link_by_id.get(ref)
    return None if link is None else link.basin
