"""Real-world geometry of the network: country polygons, sea-lane lines, and checks on both.

Files, under ``<data_dir>/geometry/`` (see ``network_data/geometry/README.md`` for sources):

* ``countries.geojson`` - Natural Earth admin-0 polygons, one Feature per ISO 3166-1 alpha-2
  code (property ``iso_a2``; ``null`` for disputed units that have none, which are skipped).
* ``sea_lines.csv`` - ``link_id,method,source,coords``: the path of each sea link from its
  ``from_id`` to its ``to_id``; ``coords`` is ``lon lat;lon lat;...`` in WGS84 degrees.

Coordinates are ``(lon, lat)`` tuples, as in GeoJSON; distances are great-circle km.  Lines are
treated as straight in lon/lat (as a web map draws them), which is what the land checks test.

:func:`load_geometry` is what :func:`corridors.data.load_network` runs when a data directory
has ``geometry/`` (with ``check_geometry``: every location within its country, every sea line
valid, at its ports and off land); the checks return :class:`~corridors.errors.Problem` lists (unreadable files raise
:class:`~corridors.errors.DataValidationError`), collected with the other data problems.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import shapely  # type: ignore[import-untyped,unused-ignore]
from shapely.geometry import (  # type: ignore[import-untyped,unused-ignore]
    LineString,
    Point,
    Polygon,
    box,
    shape,
)
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped,unused-ignore]
from shapely.ops import nearest_points, unary_union  # type: ignore[import-untyped,unused-ignore]

from corridors.errors import DataValidationError, Problem
from corridors.geo import great_circle_km
from corridors.model import Link, Location

LonLat = tuple[float, float]
#: ISO alpha-2 code -> that country's (Multi)Polygon, as :func:`load_countries` returns it.
Countries = dict[str, BaseGeometry]

GEOMETRY_DIR = "geometry"
COUNTRIES_FILE = f"{GEOMETRY_DIR}/countries.geojson"
SEA_LINES_FILE = f"{GEOMETRY_DIR}/sea_lines.csv"
LOCATIONS_FILE = "locations.csv"
SEA_LINE_COLUMNS = ("link_id", "method", "source", "coords")
METHODS = ("searoute", "straight")

#: A location may lie this far outside its declared country's polygon.  Border points sit on the
#: boundary line and ports on the coast; the polygons are Natural Earth 1:10m (boundaries good to
#: well under 1 km) simplified with a 0.015 deg (<= 1.7 km) tolerance, and a checkpoint or border
#: station is often recorded at its post or station, 1-2 km from the line: 1.7 + 1 + 2 ~ 5 km.
LOCATION_TOLERANCE_KM = 5.0
#: A sea line must start and end this close to its two locations (coords are rounded to 0.001 deg).
END_TOLERANCE_KM = 1.0
#: Land within this distance of either end is not checked: ports lie on the coast, in estuaries or
#: harbours that 1:10m polygons draw as land.
COAST_BUFFER_KM = 25.0
#: The longest single stretch of land a sea line may cross (beyond the coast buffer and outside
#: :data:`INLAND_WATERWAYS`).  Searoute's MARNET edges are straight between nodes tens of km apart
#: and clip capes and small islands: up to 3.5 km (Marmara Island; Rio-Antirrio 2.6 km; Cape Greco,
#: Cyprus 2.3 km).  A lane drawn across a real peninsula or a missing canal is far longer.
MAX_LAND_CROSSING_KM = 4.0

#: Canals, straits and river approaches that sea lanes really use but that 1:10m country polygons
#: draw as land (or too narrow to survive simplification): name -> (min_lon, min_lat, max_lon,
#: max_lat).  Land inside these boxes is not counted as a crossing.
INLAND_WATERWAYS: dict[str, tuple[float, float, float, float]] = {
    "suez_canal": (32.15, 29.9, 32.65, 31.35),
    "bosporus": (28.95, 40.98, 29.2, 41.25),
    "dardanelles": (26.1, 40.0, 26.8, 40.45),
    "corinth_canal": (22.87, 37.86, 23.02, 37.98),
    "volga_caspian_canal": (47.3, 45.3, 48.2, 46.45),
    "nieuwe_waterweg_rotterdam": (3.95, 51.85, 4.55, 52.0),
    "huangpu_shanghai": (121.3, 31.1, 121.9, 31.5),
}


class SeaLine(list[LonLat]):
    """The points of one sea line, plus where it came from in ``sea_lines.csv``.

    It is a plain list of ``(lon, lat)`` tuples; ``method`` (``searoute`` or ``straight``),
    ``source`` (a sources.csv key) and ``row`` (line number in the file) ride along.
    """

    def __init__(
        self, points: Iterable[LonLat], *, method: str, source: str = "", row: int = 0
    ) -> None:
        super().__init__(points)
        self.method = method
        self.source = source
        self.row = row


def _km(a: LonLat, b: LonLat) -> float:
    return great_circle_km(a[1], a[0], b[1], b[0])


def path_length_km(points: Sequence[LonLat]) -> float:
    """Great-circle length of a polyline of ``(lon, lat)`` points, in km."""
    return sum(_km(points[i], points[i + 1]) for i in range(len(points) - 1))


# ---------------------------------------------------------------------------------- countries


def load_countries(data_dir: Path) -> dict[str, BaseGeometry]:
    """Read ``geometry/countries.geojson``: ISO alpha-2 code -> prepared (Multi)Polygon.

    Features whose ``iso_a2`` is null (disputed units without a code) are skipped; two features
    with the same code are merged.  Raises :class:`DataValidationError` if the file cannot be
    read or a feature is malformed (row 0, the reason names the feature index).
    """
    path = Path(data_dir) / COUNTRIES_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataValidationError([Problem(COUNTRIES_FILE, 0, "", f"cannot read: {err}")]) from err
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise DataValidationError([Problem(COUNTRIES_FILE, 0, "", "not a FeatureCollection")])
    problems: list[Problem] = []
    parts: dict[str, list[BaseGeometry]] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict):
            problems.append(Problem(COUNTRIES_FILE, 0, "", f"feature {index}: not an object"))
            continue
        iso = (feature.get("properties") or {}).get("iso_a2")
        if iso is None:
            continue
        if not (isinstance(iso, str) and len(iso) == 2 and iso.isupper()):
            problems.append(
                Problem(COUNTRIES_FILE, 0, "iso_a2", f"feature {index}: bad code {iso!r}")
            )
            continue
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            problems.append(Problem(COUNTRIES_FILE, 0, "geometry", f"feature {index}: {err}"))
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
            reason = f"feature {index} ({iso}): not a valid (Multi)Polygon ({geom.geom_type})"
            problems.append(Problem(COUNTRIES_FILE, 0, "geometry", reason))
            continue
        parts.setdefault(iso, []).append(geom)
    if problems:
        raise DataValidationError(problems)
    countries: dict[str, BaseGeometry] = {}
    for iso, geoms in parts.items():
        merged = geoms[0] if len(geoms) == 1 else unary_union(geoms)
        shapely.prepare(merged)
        countries[iso] = merged
    return countries


def _distance_to_km(geom: BaseGeometry, point: LonLat) -> float:
    """Great-circle km from a point to the nearest point of ``geom`` (0 inside it)."""
    p = Point(point)
    if geom.covers(p):
        return 0.0
    nearest = nearest_points(geom, p)[0]
    return _km((float(nearest.x), float(nearest.y)), point)


def country_at(countries: Mapping[str, BaseGeometry], point: LonLat) -> str | None:
    """The code of the country polygon covering ``point``, or None (sea, or no polygon)."""
    p = Point(point)
    for iso, geom in countries.items():
        if geom.covers(p):
            return iso
    return None


def check_locations_in_countries(
    locations: Iterable[tuple[int, Location]],
    countries: Mapping[str, BaseGeometry],
    tolerance_km: float = LOCATION_TOLERANCE_KM,
) -> list[Problem]:
    """A problem for each location lying more than ``tolerance_km`` outside its country.

    ``locations`` are ``(row, Location)`` pairs, as the loader has them.  The reason gives
    the distance in km to the declared country and which country's polygon holds the point.
    """
    problems: list[Problem] = []
    for row, loc in locations:
        point = (loc.lon, loc.lat)
        geom = countries.get(loc.country)
        if geom is None:
            reason = f"{loc.id}: no polygon for country {loc.country} in {COUNTRIES_FILE}"
            problems.append(Problem(LOCATIONS_FILE, row, "country", reason))
            continue
        off_km = _distance_to_km(geom, point)
        if off_km <= tolerance_km:
            continue
        inside = country_at(countries, point)
        where = f"inside {inside}" if inside else "in no country's polygon (sea?)"
        reason = (
            f"{loc.id}: point lies {off_km:.1f} km outside {loc.country} "
            f"(tolerance {tolerance_km:g} km); it is {where}"
        )
        problems.append(Problem(LOCATIONS_FILE, row, "lat/lon", reason))
    return problems


# ---------------------------------------------------------------------------------- sea lines


def _parse_coords(text: str) -> tuple[list[LonLat], str]:
    """``lon lat;lon lat;...`` -> points, or ``([], reason)`` when malformed."""
    points: list[LonLat] = []
    for number, pair in enumerate(text.split(";"), start=1):
        cells = pair.split()
        if len(cells) != 2:
            return [], f"point {number} {pair.strip()!r} is not 'lon lat'"
        try:
            lon, lat = float(cells[0]), float(cells[1])
        except ValueError:
            return [], f"point {number} {pair.strip()!r} is not two numbers"
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return [], f"point {number} is not finite"
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            return [], f"point {number} ({lon} {lat}) is outside lon -180..180, lat -90..90"
        points.append((lon, lat))
    if len(points) < 2:
        return [], "a line needs at least 2 points"
    return points, ""


def load_sea_lines(data_dir: Path) -> dict[str, SeaLine]:
    """Read ``geometry/sea_lines.csv``: link id -> its points (a :class:`SeaLine`).

    Every malformed row is collected; if there is any, :class:`DataValidationError` lists them
    (file, row, column, reason), as :func:`corridors.data.load.load_network` does.
    """
    path = Path(data_dir) / SEA_LINES_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise DataValidationError([Problem(SEA_LINES_FILE, 0, "", f"cannot read: {err}")]) from err
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in SEA_LINE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataValidationError([Problem(SEA_LINES_FILE, 1, ",".join(missing), "missing column")])
    problems: list[Problem] = []
    lines: dict[str, SeaLine] = {}
    for row, raw in enumerate(reader, start=2):
        if None in raw:
            problems.append(Problem(SEA_LINES_FILE, row, "", "more cells than header columns"))
            continue
        cells = {c: (raw.get(c) or "").strip() for c in SEA_LINE_COLUMNS}
        link_id, method = cells["link_id"], cells["method"]
        bad = len(problems)
        if not link_id:
            problems.append(Problem(SEA_LINES_FILE, row, "link_id", "required value is empty"))
        elif link_id in lines:
            reason = f"duplicate link_id {link_id!r} (first on row {lines[link_id].row})"
            problems.append(Problem(SEA_LINES_FILE, row, "link_id", reason))
        if method not in METHODS:
            reason = f"{method!r} is not one of {', '.join(METHODS)}"
            problems.append(Problem(SEA_LINES_FILE, row, "method", reason))
        points, reason = _parse_coords(cells["coords"])
        if reason:
            problems.append(Problem(SEA_LINES_FILE, row, "coords", reason))
        if len(problems) == bad:
            lines[link_id] = SeaLine(points, method=method, source=cells["source"], row=row)
    if problems:
        raise DataValidationError(problems)
    return lines


def link_line(
    link: Link, locations: Mapping[str, Location], sea_lines: Mapping[str, Sequence[LonLat]]
) -> tuple[list[LonLat], str]:
    """The points of ``link`` from its ``from_id`` to its ``to_id``, and how they were made.

    A link with a stored line gets it (reversed if stored the other way round) and its method
    (``searoute`` unless the row says ``straight``); any other link is the straight segment
    between its two locations, method ``straight``.
    """
    start, end = locations[link.from_id], locations[link.to_id]
    a, b = (start.lon, start.lat), (end.lon, end.lat)
    stored = sea_lines.get(link.id)
    if stored is None or len(stored) < 2:
        return [a, b], "straight"
    points = [(float(x), float(y)) for x, y in stored]
    if _km(points[0], a) + _km(points[-1], b) > _km(points[0], b) + _km(points[-1], a):
        points.reverse()
    method = stored.method if isinstance(stored, SeaLine) else "searoute"
    return points, method


def _end_zone(point: LonLat, radius_km: float, sides: int = 48) -> BaseGeometry:
    """An approximate disk of ``radius_km`` around a point, as a lon/lat polygon."""
    lon, lat = point
    dlat = radius_km / 111.195  # km per degree of latitude
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    angles = [2 * math.pi * i / sides for i in range(sides)]
    return Polygon([(lon + dlon * math.cos(t), lat + dlat * math.sin(t)) for t in angles])


def land_crossings(
    points: Sequence[LonLat],
    countries: Mapping[str, BaseGeometry],
    *,
    coast_buffer_km: float = COAST_BUFFER_KM,
    waterways: Mapping[str, tuple[float, float, float, float]] | None = None,
) -> list[tuple[str, float, LonLat]]:
    """Stretches of land a line crosses: ``(country, length_km, midpoint)``, longest first.

    The parts within ``coast_buffer_km`` of either end and inside ``waterways`` (default
    :data:`INLAND_WATERWAYS`) are left out.
    """
    zones = [_end_zone(points[0], coast_buffer_km), _end_zone(points[-1], coast_buffer_km)]
    boxes = INLAND_WATERWAYS if waterways is None else waterways
    zones.extend(box(*bounds) for bounds in boxes.values())
    line = LineString(points).difference(unary_union(zones))
    if line.is_empty:
        return []
    crossings: list[tuple[str, float, LonLat]] = []
    for iso, geom in countries.items():
        if not geom.intersects(line):
            continue
        for part in shapely.get_parts(geom.intersection(line)):
            if part.geom_type != "LineString" or part.is_empty:
                continue
            coords = [(float(x), float(y)) for x, y in part.coords]
            mid = part.interpolate(0.5, normalized=True)
            crossings.append((iso, path_length_km(coords), (float(mid.x), float(mid.y))))
    crossings.sort(key=lambda c: -c[1])
    return crossings


def check_sea_lines(
    sea_lines: Mapping[str, SeaLine],
    links: Iterable[Link],
    locations: Mapping[str, Location],
    countries: Mapping[str, BaseGeometry],
    *,
    end_tolerance_km: float = END_TOLERANCE_KM,
    coast_buffer_km: float = COAST_BUFFER_KM,
    max_land_crossing_km: float = MAX_LAND_CROSSING_KM,
) -> list[Problem]:
    """Validate each sea line against its link, its two locations and the land.

    Problems: a line for an unknown or non-sea link; a sea link without a line (row 0); a line
    that is not a valid, non-degenerate LineString; one that does not start within
    ``end_tolerance_km`` of the link's ``from_id`` and end near its ``to_id``; one crossing a
    stretch of land longer than ``max_land_crossing_km`` (see :func:`land_crossings`).
    """
    problems: list[Problem] = []
    by_id = {link.id: link for link in links}
    for known in by_id.values():
        if known.mode == "sea" and known.id not in sea_lines:
            reason = f"sea link {known.id} has no line"
            problems.append(Problem(SEA_LINES_FILE, 0, "link_id", reason))
    for link_id, line in sea_lines.items():
        row = line.row
        link = by_id.get(link_id)
        if link is None or link.mode != "sea":
            what = "an unknown link" if link is None else f"a {link.mode} link, not sea"
            problems.append(Problem(SEA_LINES_FILE, row, "link_id", f"{link_id} is {what}"))
            continue
        if link.from_id not in locations or link.to_id not in locations:
            continue  # the network validator reports unknown locations
        geom = LineString(line)
        if not geom.is_valid or geom.length == 0:
            problems.append(Problem(SEA_LINES_FILE, row, "coords", "not a valid line"))
            continue
        for label, point, loc_id in (
            ("starts", line[0], link.from_id),
            ("ends", line[-1], link.to_id),
        ):
            loc = locations[loc_id]
            off_km = _km(point, (loc.lon, loc.lat))
            if off_km > end_tolerance_km:
                reason = (
                    f"{link_id} {label} {off_km:.1f} km from {loc_id} "
                    f"(tolerance {end_tolerance_km:g} km)"
                )
                problems.append(Problem(SEA_LINES_FILE, row, "coords", reason))
        crossings = land_crossings(line, countries, coast_buffer_km=coast_buffer_km)
        for iso, length_km, (lon, lat) in crossings:
            if length_km > max_land_crossing_km:
                reason = (
                    f"{link_id} crosses {length_km:.1f} km of land in {iso} near "
                    f"{lon:.2f} {lat:.2f} (more than {max_land_crossing_km:g} km)"
                )
                problems.append(Problem(SEA_LINES_FILE, row, "coords", reason))
    return problems


def sea_line_report(
    sea_lines: Mapping[str, SeaLine], links: Iterable[Link]
) -> list[dict[str, Any]]:
    """Per sea line: link id, method, line length and links.csv distance (km), and their ratio."""
    report: list[dict[str, Any]] = []
    for link in links:
        line = sea_lines.get(link.id)
        if line is None:
            continue
        length_km = path_length_km(line)
        report.append(
            {
                "link_id": link.id,
                "method": line.method,
                "line_km": round(length_km, 1),
                "distance_km": link.distance_km,
                "ratio": round(length_km / link.distance_km, 3) if link.distance_km else None,
            }
        )
    return report


def load_geometry(
    data_dir: Path,
    locations: Sequence[tuple[int, Location]],
    links: Sequence[Link],
    problems: list[Problem],
    *,
    check: bool = True,
) -> dict[str, SeaLine]:
    """The sea lines of ``data_dir/geometry/`` (empty without that directory); with ``check``,
    the locations are checked against the country polygons and the lines against their links
    and the land.  Every problem is appended to ``problems``."""
    if not (Path(data_dir) / GEOMETRY_DIR).is_dir():
        return {}
    try:
        sea_lines = load_sea_lines(data_dir)
        countries = load_countries(data_dir) if check else None
    except DataValidationError as err:
        problems.extend(err.problems)
        return {}
    if countries is not None:
        problems.extend(check_locations_in_countries(locations, countries))
        by_id = {loc.id: loc for _, loc in locations}
        problems.extend(check_sea_lines(sea_lines, links, by_id, countries))
    return sea_lines
