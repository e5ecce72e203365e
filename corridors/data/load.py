"""Read the network data directory into a validated :class:`~corridors.model.Network`.

Files: ``sources.csv``, ``locations.csv``, ``links.csv``, ``borders.csv``, ``parameters.toml``.
Every problem in every file is collected first; if there is any, :class:`DataValidationError`
lists them all (file, row, column, reason) and nothing is returned, so a bad file is never
half-loaded.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from corridors.corridor_defs import load_corridors
from corridors.countries import COUNTRY_NAMES
from corridors.data import schema
from corridors.data.table import Row, complete_row, read_table
from corridors.data.validate import check_network
from corridors.errors import DataValidationError, Problem
from corridors.geometry import load_geometry
from corridors.model import BorderCrossing, Link, Location, Network, Source, derive_modes
from corridors.params import Parameters, load_parameters
from corridors.risk.load import load_risk

log = logging.getLogger(__name__)

DATA_FILES = (
    "sources.csv",
    "locations.csv",
    "links.csv",
    "borders.csv",
    "parameters.toml",
    "corridors.toml",
    "risk/memberships.csv",
    "risk/sanctions.csv",
    "risk/security.csv",
    "risk/premiums.csv",
    "risk/profiles.toml",
    "geometry/countries.geojson",
    "geometry/sea_lines.csv",
)


def default_data_dir() -> Path:
    """The bundled network: inside the installed package, or the repository's network_data/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "network_data", here.parent / "network_data"):
        if (candidate / "locations.csv").is_file():
            return candidate
    raise FileNotFoundError("the bundled network_data directory was not found")


def _source(c: dict[str, Any]) -> Source:
    return Source(
        key=c["key"],
        kind=c["kind"],
        title=c["title"],
        publisher=c["publisher"],
        url=c["url"] or "",
        year=c["year"],
        method=c["method"] or "",
        factor=c["factor"],
    )


def _location(c: dict[str, Any]) -> Location:
    return Location(
        id=c["id"],
        name=c["name"],
        aliases=c["aliases"] or (),
        country=c["country"],
        lat=c["lat"],
        lon=c["lon"],
        kind=c["kind"],
        unlocode=c["unlocode"] or "",
        iata=c["iata"] or "",
        source=c["source"],
        notes=c["notes"] or "",
    )


def _link(c: dict[str, Any]) -> Link:
    return Link(
        id=c["id"],
        from_id=c["from_id"],
        to_id=c["to_id"],
        mode=c["mode"],
        distance_km=c["distance_km"],
        status=c["status"],
        source=c["source"],
        gauge_mm=c["gauge_mm"],
        basin=c["basin"],
        passages=c["passages"] or (),
        opening_year=c["opening_year"],
        speed_kmh=c["speed_kmh"],
        capacity_mt_per_year=c["capacity_mt_per_year"],
        frequency_per_week=c["frequency_per_week"],
        attr_source=c["attr_source"] or "",
        notes=c["notes"] or "",
        service=c["service"],
    )


def _border(c: dict[str, Any]) -> BorderCrossing:
    return BorderCrossing(
        id=c["id"],
        from_id=c["from_id"],
        to_id=c["to_id"],
        mode=c["mode"],
        distance_km=c["distance_km"],
        status=c["status"],
        source=c["source"],
        gauges_mm=c["gauge_mm"] or (),
        dwell_h=c["dwell_h"],
        fee_usd=c["fee_usd"],
        dwell_source=c["dwell_source"] or "",
        opening_year=c["opening_year"],
        notes=c["notes"] or "",
        dwell_h_back=c["dwell_h_back"],
        fee_usd_back=c["fee_usd_back"],
    )


def _version(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = data_dir / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_network(data_dir: Path | None = None, *, check_geometry: bool = False) -> Network:
    """Load and validate every data file; raise :class:`DataValidationError` listing all problems.

    ``check_geometry`` also checks every place against its country's polygon and every sea line
    against its ports and the land (``geometry/``; about 0.2 s): ``corridors validate``, the
    service's start-up and the tests do; the sea lines are read either way."""
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    if not data_dir.is_dir():
        raise DataValidationError([Problem(str(data_dir), 0, "", "not a directory")])
    problems: list[Problem] = []
    tables = {
        "sources": (data_dir / "sources.csv", schema.SOURCES),
        "locations": (data_dir / "locations.csv", schema.LOCATIONS),
        "links": (data_dir / "links.csv", schema.LINKS),
        "borders": (data_dir / "borders.csv", schema.BORDERS),
    }
    parsed = {k: read_table(p, cols, problems) for k, (p, cols) in tables.items()}
    params: Parameters | None = None
    try:
        params = load_parameters(data_dir / "parameters.toml")
    except DataValidationError as err:
        problems.extend(err.problems)
    whole_file = [p for p in problems if p.row == 0 and not p.column or p.row == 1]
    if whole_file:
        # a file that cannot be read at all (missing, not UTF-8, no header) is the cause:
        # say it first and stop, before the hundreds of rows that only follow from it
        raise DataValidationError(whole_file)

    def complete(kind: str) -> list[Row]:
        return [r for r in parsed[kind] if complete_row(r, tables[kind][1])]

    sources = [(r.line, _source(r.cells)) for r in complete("sources")]
    locations = [(r.line, _location(r.cells)) for r in complete("locations")]
    links = [(r.line, _link(r.cells)) for r in complete("links")]
    borders = [(r.line, _border(r.cells)) for r in complete("borders")]
    problems.extend(check_network(sources, locations, links, borders, params))
    corridors, detour_factor = load_corridors(
        data_dir / "corridors.toml",
        {loc.id for _, loc in locations},
        {loc.country for _, loc in locations},
        {s.key for _, s in sources},
        problems,
    )
    sea_lines = load_geometry(
        data_dir, locations, [lk for _, lk in links], problems, check=check_geometry
    )
    risk = load_risk(
        data_dir,
        set(COUNTRY_NAMES),
        {p for _, lk in links for p in lk.passages},
        {s.key for _, s in sources},
        problems,
    )
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.file, p.row, p.column)))
    assert params is not None
    link_t = tuple(x for _, x in links)
    border_t = tuple(x for _, x in borders)
    network = Network(
        locations={loc.id: loc for _, loc in locations},
        links=link_t,
        borders=border_t,
        sources={s.key: s for _, s in sources},
        params=params,
        version=_version(data_dir),
        corridors=corridors,
        corridor_detour_factor=detour_factor,
        data_dir=data_dir,
        risk=risk,
        sea_lines=sea_lines,
        _modes=derive_modes(link_t, border_t),
    )
    log.info(
        "loaded network %s: %d locations, %d links, %d border crossings",
        network.version,
        len(network.locations),
        len(network.links),
        len(network.borders),
    )
    return network
