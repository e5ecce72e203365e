"""The request vocabulary, shared by the library, the CLI and the REST service.

This module owns, once:

- the option types (:data:`Objective`, :data:`Solver`; :data:`Cargo`, :data:`Mode` and
  :data:`Basin` are re-exported from the data layer that defines them) and their value tuples
  (``OBJECTIVES`` ...), from which the CLI's argparse choices and the API's OpenAPI enums are
  built;
- the request itself (:class:`RouteRequest`, :class:`Via`), with every rule hard;
- the limits (:class:`Limits`), whose defaults the service's settings start from;
- :func:`validate_request`, which collects every problem of a request and raises once;
- :func:`request_from_options`, the one conversion from CLI or wire values to a request;
- :func:`objective_value`, the value of a route under an objective.

Units are in the names: hours (``_h``), USD, km, kg CO2e; quantities are in the cargo's unit
(TEU, or tonnes for bulk).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from corridors.errors import RequestError
from corridors.model import BASINS, MODES, Basin, Mode, Route
from corridors.params import CARGO_CLASSES, Cargo

__all__ = [
    "BASINS",
    "CARGO_CLASSES",
    "DEFAULT_LIMITS",
    "MODES",
    "OBJECTIVES",
    "SOLVERS",
    "Basin",
    "Cargo",
    "Limits",
    "Mode",
    "Objective",
    "RouteRequest",
    "Solver",
    "Via",
    "objective_value",
    "request_from_options",
    "validate_request",
]

Objective = Literal["cost", "time", "distance", "co2", "generalized"]
Solver = Literal["auto", "dijkstra", "labels", "mip"]

OBJECTIVES: tuple[Objective, ...] = get_args(Objective)
MAX_AREAS = 20  # avoid_areas per request
SOLVERS: tuple[Solver, ...] = get_args(Solver)


@dataclass(frozen=True)
class Limits:
    """The most a request may ask for (the service may set its own, see ``api.settings``)."""

    max_via: int = 10
    max_gates: int = 10
    max_one_of: int = 50
    max_exclusions: int = 200  # per exclusion list
    max_time_limit_s: float = 600.0
    max_quantity: float = 1e6  # units of cargo
    max_queries: int = 50  # per scenario run over HTTP


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Via:
    """A place the route must pass, in order, and the hours spent there."""

    location: str
    dwell_h: float = 0.0


@dataclass(frozen=True)
class RouteRequest:
    """A route query.  Places are ids, names, aliases or codes; every rule is hard.

    Parameters
    ----------
    origin, destination
        Location id, name, alias, UN/LOCODE or IATA code.
    objective
        What to minimise; ``generalized`` is cost + value of time x time.
    cargo, quantity
        Cargo class and the number of its units (TEU, or tonnes for bulk).
    value_of_time_usd_per_unit_h
        For ``generalized``; default: the cargo class's value of time.
    modes
        Allowed modes (``None``: all).
    exclude_countries, exclude_locations, exclude_links, exclude_passages, exclude_basins
        Never use these (ISO codes; places; link or crossing ids; sea passages such as
        ``ormuz``; ``caspian`` or ``open``).
    year
        Also use lines due to open by this year.
    via, one_of, gates
        Pass these places in order (with dwell); pass at least one of these; pass one place
        of each gate, in order (an ISO code stands for every place in that country).
    max_hours, max_cost_usd, max_borders
        Budgets for the whole shipment (``max_cost_usd`` is the transport cost; risk lines
        are not counted in it).
    solver, time_limit_s
        ``auto`` picks the solver; every solve has a time limit.
    simple_path
        No place is visited twice (a place may host several steps in a row: a transfer, a
        border).  The fast solvers' answer is checked, and searched again exactly if it
        revisits a place.
    risk_profile
        Who ships (``network_data/risk/profiles.toml``): the premiums they pay (war risk,
        sanctions, security) enter the ``cost`` and ``generalized`` objectives as separate
        risk lines; ``none`` prices no risk.
    avoid_sanctioned
        Never enter a country targeted by a sanctions regime the profile observes, of the
        scopes the profile avoids.
    require_transit_regime
        Road legs only in TIR countries, rail legs only in COTIF (CIM) or OSJD (SMGS) ones.
    max_risk_score
        Never enter a country whose security risk score (0 safest .. 100) is above this.
    avoid_areas
        GeoJSON polygons (as JSON text, see :func:`corridors.areas.area_key`): no link or
        crossing that meets one, no place inside one.
    """

    origin: str
    destination: str
    objective: Objective = "cost"
    cargo: Cargo = "container"
    quantity: float = 1.0
    value_of_time_usd_per_unit_h: float | None = None
    modes: tuple[Mode, ...] | None = None
    exclude_countries: tuple[str, ...] = ()
    exclude_locations: tuple[str, ...] = ()
    exclude_links: tuple[str, ...] = ()
    year: int | None = None
    via: tuple[Via, ...] = ()
    one_of: tuple[str, ...] = ()
    gates: tuple[tuple[str, ...], ...] = ()
    exclude_passages: tuple[str, ...] = ()
    exclude_basins: tuple[Basin, ...] = ()
    max_hours: float | None = None
    max_cost_usd: float | None = None
    max_borders: int | None = None
    solver: Solver = "auto"
    time_limit_s: float = 10.0
    simple_path: bool = True
    risk_profile: str = "none"
    avoid_sanctioned: bool = False
    require_transit_regime: bool = False
    max_risk_score: float | None = None
    avoid_areas: tuple[str, ...] = ()


_FIELDS = frozenset(f.name for f in fields(RouteRequest))
EXCLUSION_FIELDS = (
    "exclude_countries",
    "exclude_locations",
    "exclude_links",
    "exclude_passages",
    "exclude_basins",
)


def _choice(problems: list[str], name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        problems.append(f"{name}: unknown value {value!r}; expected one of {', '.join(allowed)}")


def _number(
    problems: list[str], name: str, value: float | None, low: float, high: float | None = None
) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{name}: must be a finite number, got {value!r}")
    elif value < low or (high is not None and value > high):
        bound = f">= {low:g}" if high is None else f"between {low:g} and {high:g}"
        problems.append(f"{name}: must be {bound}, got {value:g}")


def _sizes(req: RouteRequest, limits: Limits) -> list[str]:
    longest_exclusion = max(
        len(req.exclude_countries),
        len(req.exclude_locations),
        len(req.exclude_links),
        len(req.exclude_passages),
        len(req.exclude_basins),
    )
    if (
        longest_exclusion <= limits.max_exclusions
        and len(req.avoid_areas) <= MAX_AREAS
        and len(req.via) <= limits.max_via
        and len(req.gates) <= limits.max_gates
        and len(req.one_of) <= limits.max_one_of
    ):
        return []  # the common case, checked without building messages
    sized = [
        ("avoid_areas", len(req.avoid_areas), MAX_AREAS),
        ("via", len(req.via), limits.max_via),
        ("gates", len(req.gates), limits.max_gates),
        ("one_of", len(req.one_of), limits.max_one_of),
    ]
    sized += [(name, len(getattr(req, name)), limits.max_exclusions) for name in EXCLUSION_FIELDS]
    return [f"{name}: {n} entries; the limit is {cap}" for name, n, cap in sized if n > cap]


def validate_request(req: RouteRequest, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check every option of ``req`` against the vocabulary and ``limits``; raise once.

    Raises
    ------
    RequestError
        Listing every problem; ``kind="too-big"`` when only limits were exceeded.
    """
    too_big = _sizes(req, limits)
    if req.time_limit_s is not None and _finite(req.time_limit_s):
        if req.time_limit_s > limits.max_time_limit_s:
            too_big.append(
                f"time_limit_s: {req.time_limit_s:g} exceeds the limit "
                f"{limits.max_time_limit_s:g} s"
            )
    if _finite(req.quantity) and req.quantity > limits.max_quantity:
        too_big.append(f"quantity: {req.quantity:g} exceeds the limit {limits.max_quantity:g}")
    problems: list[str] = []
    _choice(problems, "objective", req.objective, OBJECTIVES)
    _choice(problems, "cargo", req.cargo, CARGO_CLASSES)
    _choice(problems, "solver", req.solver, SOLVERS)
    if req.modes is not None:
        bad = sorted(set(req.modes) - set(MODES))
        if bad or not req.modes:
            problems.append(f"modes: must be a non-empty subset of {', '.join(MODES)}")
    for basin in req.exclude_basins:
        _choice(problems, "exclude_basins", basin, BASINS)
    if any(not g for g in req.gates):
        problems.append("gates: a gate must name at least one place or country")
    problems += _number_problems(req)
    if problems or too_big:
        kind = "invalid-request" if problems else "too-big"
        raise RequestError("; ".join(problems + too_big), kind=kind)


def _number_problems(req: RouteRequest) -> list[str]:
    problems: list[str] = []
    _number(problems, "quantity", req.quantity, 0.0)
    if _finite(req.quantity) and req.quantity == 0:
        problems.append("quantity: must be > 0")
    for name in ("max_hours", "max_cost_usd", "value_of_time_usd_per_unit_h"):
        _number(problems, name, getattr(req, name), 0.0)
    if req.max_borders is not None and (isinstance(req.max_borders, bool) or req.max_borders < 0):
        problems.append("max_borders: must be an integer >= 0")
    for v in req.via:
        _number(problems, f"via {v.location} dwell_h", v.dwell_h, 0.0, 8760.0)
    _number(problems, "time_limit_s", req.time_limit_s, 0.0)
    if _finite(req.time_limit_s) and req.time_limit_s <= 0:
        problems.append("time_limit_s: must be > 0")
    if req.year is not None and not 1900 <= req.year <= 2100:
        problems.append("year: must be between 1900 and 2100")
    _number(problems, "max_risk_score", req.max_risk_score, 0.0, 100.0)
    return problems


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _via(item: object) -> Via:
    if isinstance(item, Via):
        return item
    if isinstance(item, Mapping):
        return Via(str(item["location"]), float(item.get("dwell_h", 0.0) or 0.0))
    name, _, dwell = str(item).partition(":")
    try:
        return Via(name, float(dwell) if dwell else 0.0)
    except ValueError:
        raise RequestError(f"via: bad entry {item!r}; use PLACE or PLACE:DWELL_HOURS") from None


def _strings(value: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(x) for x in value or ())


def request_from_options(options: Mapping[str, Any]) -> RouteRequest:
    """Build a :class:`RouteRequest` from CLI or wire values (lists, dicts, ``None``).

    ``None`` means "not given" (the default is used).  ``via`` entries may be :class:`Via`,
    ``{"location", "dwell_h"}`` mappings or ``"PLACE[:DWELL_H]"`` strings; ``gates`` is a list of
    lists of places.  Unknown keys are an error.  The result is not yet validated (see
    :func:`validate_request`; the router validates every request it answers).
    """
    unknown = sorted(set(options) - _FIELDS)
    if unknown:
        raise RequestError(f"unknown request option(s): {', '.join(unknown)}")
    given = {k: v for k, v in options.items() if v is not None}
    out: dict[str, Any] = dict(given)
    for name in (*EXCLUSION_FIELDS, "one_of"):
        if name in given:
            out[name] = _strings(given[name])
    if "modes" in given:
        out["modes"] = _strings(given["modes"])
    if "via" in given:
        out["via"] = tuple(_via(v) for v in given["via"])
    if "gates" in given:
        out["gates"] = tuple(_strings(g) for g in given["gates"])
    if "avoid_areas" in given:
        from corridors.areas import area_key

        areas = given["avoid_areas"]
        if isinstance(areas, str | Mapping):
            raise RequestError("avoid_areas: a list of GeoJSON polygons is expected")
        out["avoid_areas"] = tuple(area_key(a) for a in areas)
    return RouteRequest(**out)


def objective_value(
    route: Route, objective: Objective, value_of_time_usd_per_unit_h: float
) -> float:
    """The value of a route (whole shipment) under ``objective``; lower is better.

    ``generalized`` is cost + value of time (USD per unit-hour) x quantity x hours; ``cost``
    and ``generalized`` include the risk the request's profile prices.
    """
    summary = route.summary
    if objective == "generalized":
        return summary.total_usd + value_of_time_usd_per_unit_h * route.quantity * summary.time_h
    return {
        "cost": summary.total_usd,
        "time": summary.time_h,
        "distance": summary.distance_km,
        "co2": summary.co2_kg,
    }[objective]
