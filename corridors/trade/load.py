"""Read and check the trade side of ``network_data/trade/``: zones, the trade matrix, transit
flows and capacities; build the demands the assignment routes.

Files (CSV, one header row; every row names its ``source`` in sources.csv):

- ``zones.csv``: ``zone`` (an ISO country code, or ``EU``), ``location`` (id), ``weight``
  (share of the zone's trade leaving or arriving there; a zone's weights sum to 1),
  ``source``, ``note``;
- ``trade.csv``: ``reporter``, ``partner`` (zones), ``flow`` (``export`` or ``import``, as the
  reporter reports it), ``commodity`` (``container``, ``bulk``, ``perishable``), ``year``,
  ``value_usd``, ``t_per_yr`` (tonnes; published, or value / a sourced value per tonne: see
  ``note``), ``mirror`` (true when the partner reported it), ``source``, ``note``;
- ``transit.csv``: ``origin``, ``destination`` (zones), ``commodity``, ``year``, ``t_per_yr``,
  ``source``, ``note``: flows that only cross the region and share its links;
- ``capacities.csv``: ``element`` (a crossing or link id, or a place for a port),
  ``element_type`` (``border``, ``link``, ``port``), ``t_per_yr``, ``year``, ``volume_t_per_yr``
  (the latest published volume, for checking; may be empty), ``source``, ``note``.

Problems are collected and raised once (file, row, column, reason), like the network's.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from corridors.errors import DataValidationError, Problem
from corridors.model import Network
from corridors.trade.model import COMMODITY_CARGO, Capacity, Demand

__all__ = ["TradeData", "demands_from", "load_trade"]

FLOWS = ("export", "import")
ELEMENT_TYPES = ("border", "link", "port")
COLUMNS = {
    "zones.csv": ("zone", "location", "weight", "source", "note"),
    "trade.csv": (
        "reporter",
        "partner",
        "flow",
        "commodity",
        "year",
        "value_usd",
        "t_per_yr",
        "mirror",
        "source",
        "note",
    ),
    "transit.csv": ("origin", "destination", "commodity", "year", "t_per_yr", "source", "note"),
    "capacities.csv": (
        "element",
        "element_type",
        "t_per_yr",
        "year",
        "volume_t_per_yr",
        "source",
        "note",
    ),
}


@dataclass(frozen=True)
class TradeRow:
    reporter: str
    partner: str
    flow: str
    commodity: str
    year: int
    value_usd: float | None
    t_per_yr: float
    mirror: bool
    source: str


@dataclass(frozen=True)
class TransitRow:
    origin: str
    destination: str
    commodity: str
    year: int
    t_per_yr: float
    source: str


@dataclass(frozen=True)
class TradeData:
    zones: dict[str, tuple[tuple[str, float], ...]]  # zone -> (location, weight)
    trade: tuple[TradeRow, ...]
    transit: tuple[TransitRow, ...]
    capacities: tuple[Capacity, ...]
    volumes_t_per_yr: dict[str, float]  # element -> latest published volume


class _Rows:
    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.name, self.problems = path.name, problems
        self.rows: list[tuple[int, dict[str, str]]] = []
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(Problem(self.name, 0, "", f"cannot read: {err}"))
            return
        reader = csv.DictReader(text.splitlines())
        missing = [c for c in COLUMNS[self.name] if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(Problem(self.name, 1, ",".join(missing), "missing column(s)"))
            return
        self.rows = [
            (line, {k: (v or "").strip() for k, v in raw.items() if k})
            for line, raw in enumerate(reader, start=2)
        ]

    def bad(self, line: int, column: str, reason: str) -> None:
        self.problems.append(Problem(self.name, line, column, reason))

    def number(
        self, line: int, row: dict[str, str], column: str, *, optional: bool = False
    ) -> float | None:
        text = row.get(column, "")
        if not text and optional:
            return None
        try:
            value = float(text)
        except ValueError:
            self.bad(line, column, f"{text!r} is not a number")
            return None
        if not math.isfinite(value) or value < 0:
            self.bad(line, column, "must be a finite number >= 0")
            return None
        return value

    def year(self, line: int, row: dict[str, str]) -> int:
        text = row.get("year", "")
        if not text.isdigit() or not 1990 <= int(text) <= 2100:
            self.bad(line, "year", f"{text!r} is not a year")
            return 0
        return int(text)


def load_trade(net: Network, directory: Path | None = None) -> TradeData:
    """Read and check every trade file; raise :class:`DataValidationError` listing all problems."""
    directory = directory or (net.data_dir / "trade" if net.data_dir else None)
    if directory is None or not directory.is_dir():
        raise DataValidationError(
            [Problem("trade", 0, "", "no trade directory beside the network")]
        )
    problems: list[Problem] = []
    files = {name: _Rows(directory / name, problems) for name in COLUMNS}
    countries = {loc.country for loc in net.locations.values()} | {"EU"}
    zones = _zones(files["zones.csv"], net, countries)
    zone_names = set(zones)

    def check_common(f: _Rows, line: int, row: dict[str, str], zone_cols: tuple[str, ...]) -> None:
        for col in zone_cols:
            if row[col] not in zone_names:
                f.bad(line, col, f"unknown zone {row[col]!r} (zones.csv lists {len(zone_names)})")
        if row["commodity"] not in COMMODITY_CARGO:
            f.bad(line, "commodity", f"must be one of {', '.join(COMMODITY_CARGO)}")
        if row["source"] not in net.sources:
            f.bad(line, "source", f"unknown source key {row['source']!r}")

    trade = []
    f = files["trade.csv"]
    for line, row in f.rows:
        check_common(f, line, row, ("reporter", "partner"))
        if row["flow"] not in FLOWS:
            f.bad(line, "flow", f"must be one of {', '.join(FLOWS)}")
        tonnes = f.number(line, row, "t_per_yr")
        value = f.number(line, row, "value_usd", optional=True)
        mirror = row.get("mirror", "").lower()
        if mirror not in ("true", "false", ""):
            f.bad(line, "mirror", "must be true or false")
        if tonnes is not None:
            trade.append(
                TradeRow(
                    row["reporter"],
                    row["partner"],
                    row["flow"],
                    row["commodity"],
                    f.year(line, row),
                    value,
                    tonnes,
                    mirror == "true",
                    row["source"],
                )
            )
    transit = []
    f = files["transit.csv"]
    for line, row in f.rows:
        check_common(f, line, row, ("origin", "destination"))
        tonnes = f.number(line, row, "t_per_yr")
        if tonnes is not None:
            transit.append(
                TransitRow(
                    row["origin"],
                    row["destination"],
                    row["commodity"],
                    f.year(line, row),
                    tonnes,
                    row["source"],
                )
            )
    capacities, volumes = _capacities(files["capacities.csv"], net)
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.file, p.row, p.column)))
    return TradeData(zones, tuple(trade), tuple(transit), tuple(capacities), volumes)


def _zones(f: _Rows, net: Network, countries: set[str]) -> dict[str, tuple[tuple[str, float], ...]]:
    zones: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for line, row in f.rows:
        if row["zone"] not in countries:
            f.bad(line, "zone", f"unknown zone {row['zone']!r}: an ISO code of the network, or EU")
        if row["location"] not in net.locations:
            f.bad(line, "location", f"unknown location id {row['location']!r}")
        if row["source"] not in net.sources:
            f.bad(line, "source", f"unknown source key {row['source']!r}")
        weight = f.number(line, row, "weight")
        if weight is not None:
            zones[row["zone"]].append((row["location"], weight))
    for zone, places in zones.items():
        total = sum(w for _, w in places)
        if abs(total - 1.0) > 1e-6:
            f.bad(0, "weight", f"zone {zone}: weights sum to {total:g}, not 1")
    return {z: tuple(p) for z, p in zones.items()}


def _capacities(f: _Rows, net: Network) -> tuple[list[Capacity], dict[str, float]]:
    ids = {lk.id for lk in net.links} | {b.id for b in net.borders}
    out, volumes = [], {}
    for line, row in f.rows:
        kind = row["element_type"]
        if kind not in ELEMENT_TYPES:
            f.bad(line, "element_type", f"must be one of {', '.join(ELEMENT_TYPES)}")
            continue
        known = net.locations if kind == "port" else ids
        if row["element"] not in known:
            f.bad(
                line,
                "element",
                f"unknown {'place' if kind == 'port' else 'link or crossing'} {row['element']!r}",
            )
        if row["source"] not in net.sources:
            f.bad(line, "source", f"unknown source key {row['source']!r}")
        cap = f.number(line, row, "t_per_yr")
        volume = f.number(line, row, "volume_t_per_yr", optional=True)
        f.year(line, row)
        if cap is not None and volume is not None and cap < volume:
            f.bad(line, "t_per_yr", f"capacity {cap:g} is below the published volume {volume:g}")
        if cap is not None:
            out.append(Capacity(row["element"], kind, cap, row["source"], row.get("note", "")))  # type: ignore[arg-type]
        if volume is not None:
            volumes[row["element"]] = volume
    return out, volumes


def demands_from(
    data: TradeData, *, trade_scale: dict[tuple[str, str], float] | None = None
) -> list[Demand]:
    """Every trade and transit row split over its zones' places by weight.

    An export of ``reporter`` to ``partner`` runs from the reporter's places to the partner's;
    an import the other way.  ``trade_scale`` multiplies the tonnes of (reporter, partner)
    pairs (a scenario's trade change)."""
    scale = trade_scale or {}
    out: list[Demand] = []

    def split(
        a: str,
        b: str,
        commodity: str,
        tonnes: float,
        reporter: str,
        partner: str,
        kind: str,
        source: str,
    ) -> None:
        for la, wa in data.zones[a]:
            for lb, wb in data.zones[b]:
                t = tonnes * wa * wb
                if t > 0 and la != lb:
                    out.append(Demand(la, lb, commodity, t, reporter, partner, kind, source))

    for r in data.trade:
        tonnes = r.t_per_yr * scale.get((r.reporter, r.partner), 1.0)
        a, b = (r.reporter, r.partner) if r.flow == "export" else (r.partner, r.reporter)
        split(a, b, r.commodity, tonnes, r.reporter, r.partner, "trade", r.source)
    for t in data.transit:
        split(
            t.origin,
            t.destination,
            t.commodity,
            t.t_per_yr,
            t.origin,
            t.destination,
            "transit",
            t.source,
        )
    return out
