"""RFC 7946 GeoJSON views: the network (locations, links, crossings) and a route's legs.

Coordinates are ``[lon, lat]``.  Links are straight lines between their end locations (no
waypoint geometry is stored yet).
"""

from __future__ import annotations

from typing import Any

from corridors.model import Network, Route


def _point(net: Network, loc_id: str) -> list[float]:
    loc = net.locations[loc_id]
    return [loc.lon, loc.lat]


def network_geojson(
    net: Network, *, mode: str | None = None, status: str | None = None, country: str | None = None
) -> dict[str, Any]:
    """Locations as Points, links and border crossings as LineStrings, optionally filtered."""

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
        props = {
            "feature": feature,
            "mode": x.mode,
            "from_id": x.from_id,
            "to_id": x.to_id,
            "distance_km": x.distance_km,
            "status": x.status,
            "opening_year": x.opening_year,
            "source": x.source,
        }
        features.append(
            {
                "type": "Feature",
                "id": x.id,
                "properties": props,
                "geometry": {
                    "type": "LineString",
                    "coordinates": [_point(net, x.from_id), _point(net, x.to_id)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def route_geojson(net: Network, route: Route) -> dict[str, Any]:
    """One LineString Feature per leg of the route."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [_point(net, leg.from_id), _point(net, leg.to_id)],
            },
            "properties": {
                "mode": leg.mode,
                "link_id": leg.link_id,
                "from_id": leg.from_id,
                "to_id": leg.to_id,
                "distance_km": leg.distance_km,
                "time_h": leg.time_h,
                "cost_usd": leg.cost_usd,
            },
        }
        for leg in route.legs
    ]
    return {"type": "FeatureCollection", "features": features}
