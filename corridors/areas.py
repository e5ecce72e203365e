"""Avoid areas: a request may exclude polygons (a war-risk zone, a strait's approaches).

An area is GeoJSON (a Polygon or MultiPolygon geometry, or a Feature or FeatureCollection of
them) in lon/lat degrees.  Every link or border crossing whose line meets an area is masked
(sea links along their sea lanes, the others as the straight segments the map draws), and every
place inside one is excluded.  Lines are indexed once per network (shapely ``STRtree``) and each
area is tested against its candidates only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from shapely import STRtree
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from corridors.errors import RequestError
from corridors.geometry import link_line
from corridors.model import Network

__all__ = ["MAX_AREA_VERTICES", "AreaIndex", "area_key", "parse_areas"]

MAX_AREA_VERTICES = 5_000  # over all areas of a request


def area_key(value: Any) -> str:
    """An area as canonical JSON text (hashable, so a request with areas can be cached)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise RequestError(f"avoid_areas: not GeoJSON: {err.msg}") from None
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as err:
        raise RequestError(f"avoid_areas: not GeoJSON: {err}") from None


def _geometries(obj: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(obj, Mapping):
        raise RequestError(f"{where}: a GeoJSON object is expected")
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise RequestError(f"{where}: a FeatureCollection needs a list of features")
        return [g for i, f in enumerate(features) for g in _geometries(f, f"{where}[{i}]")]
    if kind == "Feature":
        return _geometries(obj.get("geometry"), f"{where}.geometry")
    if kind in ("Polygon", "MultiPolygon"):
        return [obj]
    raise RequestError(f"{where}: type {kind!r}; expected Polygon, MultiPolygon or a Feature")


def parse_areas(keys: Sequence[str]) -> list[BaseGeometry]:
    """The polygons of a request's areas; a bad area is a :class:`RequestError` naming it."""
    out: list[BaseGeometry] = []
    vertices = 0
    for i, key in enumerate(keys):
        where = f"avoid_areas[{i}]"
        for geo in _geometries(json.loads(key), where):
            try:
                geom = shape(geo)
            except (ValueError, TypeError, AttributeError, IndexError, KeyError) as err:
                raise RequestError(f"{where}: not a valid polygon ({err})") from None
            if geom.is_empty or not geom.is_valid or geom.area <= 0:
                raise RequestError(f"{where}: not a valid polygon (empty, self-crossing or flat)")
            minx, miny, maxx, maxy = geom.bounds
            if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
                raise RequestError(f"{where}: coordinates must be lon -180..180, lat -90..90")
            vertices += (
                len(geom.exterior.coords)
                if geom.geom_type == "Polygon"
                else sum(len(p.exterior.coords) for p in geom.geoms)
            )
            out.append(geom)
    if vertices > MAX_AREA_VERTICES:
        raise RequestError(
            f"avoid_areas: {vertices} vertices; the limit is {MAX_AREA_VERTICES}", kind="too-big"
        )
    return out


class AreaIndex:
    """The lines of every link and crossing and the points of every place, indexed."""

    def __init__(self, net: Network) -> None:
        refs: list[str] = []
        lines: list[BaseGeometry] = []
        for link in net.links:
            points, _ = link_line(link, net.locations, net.sea_lines)
            refs.append(link.id)
            lines.append(LineString(points))
        for b in net.borders:
            a, z = net.locations[b.from_id], net.locations[b.to_id]
            refs.append(b.id)
            same = (a.lon, a.lat) == (z.lon, z.lat)
            lines.append(
                Point(a.lon, a.lat) if same else LineString([(a.lon, a.lat), (z.lon, z.lat)])
            )
        self._refs, self._lines = refs, lines
        self._line_tree = STRtree(lines)
        self._places = list(net.locations)
        self._points = [Point(x.lon, x.lat) for x in net.locations.values()]
        self._point_tree = STRtree(self._points)

    def excluded(self, areas: Sequence[BaseGeometry]) -> tuple[frozenset[str], frozenset[str]]:
        """The link and crossing ids, and the places, that meet any of ``areas``."""
        refs: set[str] = set()
        places: set[str] = set()
        for area in areas:
            test = prep(area)
            for i in self._line_tree.query(area):
                if test.intersects(self._lines[int(i)]):
                    refs.add(self._refs[int(i)])
            for i in self._point_tree.query(area):
                if test.intersects(self._points[int(i)]):
                    places.add(self._places[int(i)])
        return frozenset(refs), frozenset(places)
