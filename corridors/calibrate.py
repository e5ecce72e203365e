"""Calibration: the model against published end-to-end figures (``calibration.csv``).

Each row of ``network_data/calibration.csv`` is a published figure with its query: origin and
destination (location ids), modes, corridor, places the published route passes (``via``),
cargo and metric:

- ``time_h`` / ``cost_usd`` (kinds ``transit_time``, ``tariff``): the best route by generalized
  cost (what a shipper chooses) under the row's modes and corridor, its USD per unit, or its
  hours terminal to terminal (published transit times run from departure to arrival: the
  loading and unloading terminal events at the two ends are left out; port calls, borders and
  transfers on the way count); ``truck`` cargo is one container on one truck;
  a tariff row may name what its published figure leaves out (optional column ``excludes``:
  ``origin_terminal``, ``destination_terminal``): those terminal charges are taken off the
  model's cost;
- ``time_h`` (kind ``ferry``): the sailing time of the sea link between two ports;
- ``border_h``: the dwell the model uses at that crossing (own figure, else its regime's);
- ``speed_kmh``: the model's speed with en-route stops over a country's operational links of
  that mode (distance / (driving or running + en-route hours)); CPMM's speed with delay also
  contains border time, so the model is expected to run faster.

A row is *within band* when the model lies in ``[low x (1 - tol), high x (1 + tol)]``, with the
tolerance of its kind (:data:`TOLERANCE`).  Rows marked ``parameter`` set a figure of the model
and do not count as validation.  Validation rows are schedules, averages and statements of a
regular service; ``context`` rows (single runs: pilots, first and test trains, records; and
congestion episodes) are shown and summarised apart, not counted.  Rows naming a place the
network lacks (``?yiwu``) are "not modelled".
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridors.compare import best_in_corridor
from corridors.errors import CorridorsError, DataValidationError, Problem
from corridors.graph.states import ComponentKind
from corridors.model import Network, Route
from corridors.request import RouteRequest, Via
from corridors.routing import Router

__all__ = ["TOLERANCE", "CalibrationRow", "RowResult", "load_calibration", "run_calibration"]

FILE = "calibration.csv"
COLUMNS = (
    "id",
    "kind",
    "origin",
    "destination",
    "modes",
    "corridor",
    "via",
    "cargo",
    "metric",
    "low",
    "high",
    "unit",
    "year",
    "source",
    "use",
    "notes",
)
KINDS = ("transit_time", "tariff", "ferry", "speed", "border")
METRICS = ("time_h", "cost_usd", "speed_kmh", "border_h")
USES = ("validation", "parameter", "context")
# optional column: charges the published tariff leaves out (the terminal event at either end)
EXCLUDES = ("origin_terminal", "destination_terminal")
# relative tolerance around the published value or range, by kind: published times are
# schedules or averages of a few trains, tariffs are quotes of one year
TOLERANCE = {"transit_time": 0.25, "tariff": 0.30, "ferry": 0.20, "speed": 0.25, "border": 0.30}
CARGO = {"container": "container", "container_feu": "container_feu", "truck": "container"}
CAREC = ("AF", "AZ", "CN", "GE", "KG", "KZ", "PK", "TJ", "TM", "UZ")


@dataclass(frozen=True)
class CalibrationRow:
    id: str
    kind: str
    origin: str
    destination: str
    modes: tuple[str, ...]
    corridor: str
    via: tuple[str, ...]
    cargo: str
    metric: str
    low: float
    high: float
    year: int | None
    source: str
    use: str
    notes: str
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowResult:
    row: CalibrationRow
    model: float | None  # None: not modelled
    verdict: str  # within | above | below | not modelled
    detail: str  # what the model did (route countries, crossing...), or why not modelled

    @property
    def ratio(self) -> float | None:
        if self.model is None:
            return None
        mid = (self.row.low + self.row.high) / 2
        return self.model / mid if mid else None


def load_calibration(net: Network, path: Path | None = None) -> list[CalibrationRow]:
    """Read and check the calibration file; raise listing every problem."""
    path = path or (net.data_dir / FILE if net.data_dir else None)
    if path is None or not path.is_file():
        raise DataValidationError([Problem(FILE, 0, "", "no calibration file beside the network")])
    problems: list[Problem] = []
    rows: list[CalibrationRow] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError([Problem(FILE, 1, c, "missing column") for c in missing])
        for line, raw in enumerate(reader, start=2):
            row = _row(raw, line, net, problems)
            if row is not None:
                rows.append(row)
    if problems:
        raise DataValidationError(problems)
    return rows


def _excludes(raw: dict[str, str], bad: Callable[[str, str], None]) -> tuple[str, ...]:
    """The charges a published tariff leaves out (optional column)."""
    excludes = tuple(x for x in (raw.get("excludes") or "").split(";") if x)
    for x in excludes:
        if x not in EXCLUDES:
            bad("excludes", f"{x!r}: must be one of {', '.join(EXCLUDES)}")
    if excludes and raw["metric"] != "cost_usd":
        bad("excludes", "only a tariff (cost_usd) leaves charges out")
    return excludes


def _row(
    raw: dict[str, str], line: int, net: Network, problems: list[Problem]
) -> CalibrationRow | None:
    def bad(column: str, reason: str) -> None:
        problems.append(Problem(FILE, line, column, reason))

    for column, allowed in (("kind", KINDS), ("metric", METRICS), ("use", USES)):
        if raw[column] not in allowed:
            bad(column, f"must be one of {', '.join(allowed)}")
    if raw["cargo"] not in CARGO:
        bad("cargo", f"must be one of {', '.join(CARGO)}")
    if raw["source"] not in net.sources:
        bad("source", f"unknown source key {raw['source']!r}")
    if raw["corridor"] and raw["corridor"] not in net.corridors:
        bad("corridor", f"unknown corridor {raw['corridor']!r}")
    for column in ("origin", "destination"):
        place = raw[column]
        if not place.startswith("?") and place not in net.locations:
            bad(column, f"unknown location id {place!r} (write ?name for a place not modelled)")
    try:
        low, high = float(raw["low"]), float(raw["high"])
    except ValueError:
        bad("low", "low and high must be numbers")
        return None
    if not 0 < low <= high:
        bad("high", "need 0 < low <= high")
    modes = tuple(m for m in raw["modes"].split(";") if m)
    via = tuple(v for v in raw["via"].split(";") if v)
    for v in via:
        if v not in net.locations:
            bad("via", f"unknown location id {v!r}")
    excludes = _excludes(raw, bad)
    return CalibrationRow(
        raw["id"],
        raw["kind"],
        raw["origin"],
        raw["destination"],
        modes,
        raw["corridor"],
        via,
        raw["cargo"],
        raw["metric"],
        low,
        high,
        int(raw["year"]) if raw["year"].isdigit() else None,
        raw["source"],
        raw["use"],
        raw["notes"],
        excludes,
    )


def _route_metric(router: Router, row: CalibrationRow) -> tuple[float, str]:
    base = RouteRequest(
        row.origin,
        row.destination,
        objective="generalized",
        cargo=CARGO[row.cargo],  # type: ignore[arg-type]
        modes=row.modes or None,  # type: ignore[arg-type]
        via=tuple(Via(v) for v in row.via),
    )
    if row.corridor:
        found = best_in_corridor(
            router, base, router.network.corridors[row.corridor], check_markets=False
        )
        if found.route is None:
            raise CorridorsError("no route under the row's modes and corridor")
        route = found.route
    else:
        try:
            route = router.route(base)
        except CorridorsError as err:
            raise CorridorsError("no route under the row's modes and corridor") from err
    s = route.summary
    if row.metric == "cost_usd":
        cut = _left_out_usd(route, row.excludes)
        note = f"; {cut:,.0f} USD of terminal charges left out, as published" if cut else ""
        return s.cost_usd - cut, f"{s.distance_km:,.0f} km via {' > '.join(s.countries)}{note}"
    terminals_h = sum(e.time_h for e in route.events if e.kind == ComponentKind.TERMINAL)
    return s.time_h - terminals_h, (
        f"{s.distance_km:,.0f} km via {' > '.join(s.countries)}; door to door "
        f"{s.time_h:,.0f} h incl. {terminals_h:,.0f} h at the origin and destination terminals"
    )


def _left_out_usd(route: Route, excludes: tuple[str, ...]) -> float:
    """The cost of the terminal charges a published tariff leaves out."""
    at = {"origin_terminal": route.origin, "destination_terminal": route.destination}
    places = {at[x] for x in excludes}
    return sum(
        e.cost_usd
        for e in route.events
        if e.kind == ComponentKind.TERMINAL and e.location_id in places
    )


def _ferry_metric(router: Router, row: CalibrationRow) -> tuple[float, str]:
    """The sailing time between two ports, on the service the row's cargo takes: a truck the
    ro-ro if there is one, other cargo (and trucks without a ro-ro) the ship containers are
    lifted onto; else any sailing there."""
    links = router.network.link_by_id
    wanted = "roro" if row.cargo == "truck" else None
    sailings = [
        e
        for e in router.graph.edges
        if e.tail[0] == row.origin and e.head[0] == row.destination and e.family == "sea"
    ]
    if not sailings:
        raise CorridorsError("no sea link between these ports")
    e = min(
        sailings, key=lambda x: (links[x.ref].service != wanted, links[x.ref].service is not None)
    )
    hours = sum(c.hours for c in e.components if c.kind == ComponentKind.LINE_HAUL)
    return hours, f"{e.ref}: {e.distance_km:,.0f} km at {e.distance_km / hours:.2f} km/h"


def _border_metric(router: Router, row: CalibrationRow) -> tuple[float, str]:
    mode = row.modes[0] if row.modes else "road"
    for e in router.graph.edges:
        if (e.tail[0], e.head[0]) == (row.origin, row.destination) and e.family == mode:
            for c in e.components:
                if c.kind == ComponentKind.BORDER:
                    return c.hours, f"{e.ref}: {c.what}"
    raise CorridorsError("no crossing between these places")


def _speed_metric(router: Router, row: CalibrationRow) -> tuple[float, str]:
    place = row.origin.lstrip("?")
    countries = CAREC if place == "CAREC" else (place,)
    mode = row.modes[0] if row.modes else "road"
    km = hours = 0.0
    seen: set[str] = set()
    for e in router.graph.edges:
        if e.kind != "line_haul" or e.family != mode or e.ref in seen or e.status != "operational":
            continue
        if router.network.locations[e.tail[0]].country not in countries:
            continue
        seen.add(e.ref)
        km += e.distance_km
        hours += sum(
            c.hours
            for c in e.components
            if c.kind in (ComponentKind.LINE_HAUL, ComponentKind.EN_ROUTE)
        )
    if not hours:
        raise CorridorsError(f"no operational {mode} links in {place}")
    return km / hours, f"{len(seen)} {mode} links, {km:,.0f} km"


_METRICS: dict[str, Callable[[Router, CalibrationRow], tuple[float, str]]] = {
    "transit_time": _route_metric,
    "tariff": _route_metric,
    "ferry": _ferry_metric,
    "border": _border_metric,
    "speed": _speed_metric,
}


def _verdict(row: CalibrationRow, model: float) -> str:
    tol = TOLERANCE[row.kind]
    if model < row.low * (1 - tol):
        return "below"
    if model > row.high * (1 + tol):
        return "above"
    return "within"


def run_calibration(router: Router, rows: list[CalibrationRow]) -> list[RowResult]:
    """Model vs published for every row."""
    out = []
    for row in rows:
        if row.kind != "speed" and (row.origin.startswith("?") or row.destination.startswith("?")):
            out.append(RowResult(row, None, "not modelled", "place not in the network"))
            continue
        try:
            model, detail = _METRICS[row.kind](router, row)
        except CorridorsError as err:
            out.append(RowResult(row, None, "not modelled", str(err)))
            continue
        out.append(RowResult(row, model, _verdict(row, model), detail))
    return out


def summary(results: list[RowResult], use: str = "validation") -> dict[str, Any]:
    """Counts by kind for the rows of one use: within band, above, below, not modelled."""
    by_kind: dict[str, Counter[str]] = {}
    for r in results:
        if r.row.use != use:
            continue
        by_kind.setdefault(r.row.kind, Counter())[r.verdict] += 1
    total = Counter[str]()
    for c in by_kind.values():
        total.update(c)
    modelled = sum(v for k, v in total.items() if k != "not modelled")
    return {
        "validation_rows": sum(total.values()),
        "modelled": modelled,
        "within": total["within"],
        "share_within": round(total["within"] / modelled, 3) if modelled else 0.0,
        "by_kind": {k: dict(sorted(c.items())) for k, c in sorted(by_kind.items())},
    }
