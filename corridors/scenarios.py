"""Scenarios: a TOML file of changes to the base network plus a set of queries, run as a
baseline-vs-scenario comparison.

File layout (every key optional except ``name`` and at least one query)::

    name = "Rasht-Astara railway opens"
    description = "..."
    targets = ["instc_west_azerbaijan"]  # the corridors the change is about (reports show them)
    [changes]
    year = 2028                      # lines due by this year are usable
    open = ["rail_rasht_astara_ir"]  # links or crossings made operational now
    close = ["sea_aktau_alat"]       # links or crossings closed
    close_locations = ["sarakhs"]
    close_countries = ["RU"]
    close_passages = ["ormuz"]       # sea links through these passages are closed
    close_basins = ["caspian"]
    border_dwell_scale = 0.5         # every crossing's dwell time (own figure or default);
                                     # every scale lies in [0.01, 100]
    border_fee_scale = 1.0
    border_countries = ["KZ", "UZ"]  # limit the two scales to crossings touching these
    border_modes = ["road"]          # ... and to crossings of these modes
    tariff_scale = { rail = 0.9 }    # line-haul USD per unit-km, by parameters mode key
    frequency_scale = { sea_caspian = 2.0 }  # departures per week (own figures and defaults;
                                     # the wait for a sailing where ships sail when loaded / 2)
    trade_scale = { "KZ-IR" = 1.2 }  # trade assignment: tonnes of a reporter-partner pair
    capacity_scale = { border_rail_sarakhs_serakhs = 2.0 }  # trade assignment: a capacity
    lift_sanctions = ["IR"]          # risk: sanctions regimes on these countries lifted
    premium_replace = { war_babalmandab_2023 = "war_babalmandab_2024" }  # risk: every profile
                                     # paying the first premium (risk/premiums.csv) pays the second
    [[queries]]
    origin = "Almaty"
    destination = "Mumbai"
    [grid]                           # or, beside or instead of [[queries]], an OD grid:
    origins = ["Almaty", "Tashkent"] # one query per origin x destination
    destinations = ["Mumbai", "Istanbul"]
    cargo = "container"              # default container; objective default generalized; quantity 1
    corridors = ["instc_east"]       # default: all corridors
    risk_profile = "western-shipper" # default none; queries and grids take it too
    avoid_sanctioned = true          # default false: keep out of the profile's sanctioned states

Closures and the year become hard rules of every scenario query; scaled figures and opened
lines produce a new network with :func:`apply_changes`, which never modifies the base one.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from corridors.compare import Comparison, compare
from corridors.errors import ScenarioError
from corridors.model import BASINS, Basin, Network
from corridors.params import PARAM_MODES
from corridors.request import CARGO_CLASSES, OBJECTIVES, RouteRequest, request_from_options
from corridors.risk.model import RiskData
from corridors.routing import Router

T = TypeVar("T")

CHANGE_KEYS = {
    "year",
    "open",
    "close",
    "close_locations",
    "close_countries",
    "close_passages",
    "close_basins",
    "border_dwell_scale",
    "border_fee_scale",
    "border_countries",
    "border_modes",
    "tariff_scale",
    "frequency_scale",
    "trade_scale",
    "capacity_scale",
    "lift_sanctions",
    "premium_replace",
}
QUERY_KEYS = {
    "origin",
    "destination",
    "cargo",
    "objective",
    "quantity",
    "corridors",
    "risk_profile",
    "avoid_sanctioned",
}
SCALE_BOUNDS = (0.01, 100.0)  # every scale of a scenario change
MAX_QUANTITY = 1e6  # units of cargo per query


@dataclass(frozen=True)
class Changes:
    year: int | None = None
    open: tuple[str, ...] = ()
    close: tuple[str, ...] = ()
    close_locations: tuple[str, ...] = ()
    close_countries: tuple[str, ...] = ()
    close_passages: tuple[str, ...] = ()
    close_basins: tuple[Basin, ...] = ()
    border_dwell_scale: float = 1.0
    border_fee_scale: float = 1.0
    border_countries: tuple[str, ...] = ()
    border_modes: tuple[str, ...] = ()
    tariff_scale: Mapping[str, float] = field(default_factory=dict)
    frequency_scale: Mapping[str, float] = field(default_factory=dict)
    # for the trade assignment: tonnes of a "REPORTER-PARTNER" pair, capacity of an element
    trade_scale: Mapping[str, float] = field(default_factory=dict)
    capacity_scale: Mapping[str, float] = field(default_factory=dict)
    # risk and policy: sanctions lifted on these targets; one premium paid instead of another
    lift_sanctions: tuple[str, ...] = ()
    premium_replace: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    origin: str
    destination: str
    cargo: str = "container"
    objective: str = "generalized"
    quantity: float = 1.0
    corridors: tuple[str, ...] = ()
    risk_profile: str = "none"
    avoid_sanctioned: bool = False


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    description: str
    changes: Changes
    queries: tuple[Query, ...]
    targets: tuple[str, ...] = ()  # the corridors the change is about (shown in reports)


# ---- loading and validation ---------------------------------------------------------------
class _Checker:
    def __init__(self, file: str, net: Network) -> None:
        self.file, self.net = file, net
        self.problems: list[str] = []
        self.prefix = ""  # the table being read, e.g. "changes."
        self.link_ids = {x.id for x in net.links} | {x.id for x in net.borders}
        self.countries = {loc.country for loc in net.locations.values()}
        self.passages = {p for lk in net.links for p in lk.passages}

    def bad(self, key: str, reason: str) -> None:
        self.problems.append(f"{self.file} [{self.prefix}{key}]: {reason}")

    def strings(
        self, tbl: Mapping[str, Any], key: str, allowed: set[str] | None
    ) -> tuple[str, ...]:
        value = tbl.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.bad(key, "must be a list of strings")
            return ()
        for x in value:
            if allowed is not None and x not in allowed:
                self.bad(key, f"unknown value {x!r}")
        return tuple(value)

    def scale(self, tbl: Mapping[str, Any], key: str) -> float:
        value = tbl.get(key, 1.0)
        low, high = SCALE_BOUNDS
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            self.bad(key, f"must be a number between {low:g} and {high:g}")
            return 1.0
        return float(value)

    def scales(self, tbl: Mapping[str, Any], key: str, allowed: Sequence[str]) -> dict[str, float]:
        value = tbl.get(key, {})
        if not isinstance(value, Mapping):
            self.bad(key, "must be a table, e.g. { rail = 0.9 }")
            return {}
        out = {}
        for mode in value:
            if mode not in allowed:
                hint = f"; expected one of {', '.join(allowed)}" if len(allowed) <= 12 else ""
                self.bad(f"{key}.{mode}", f"unknown key{hint}")
            out[mode] = self.scale(value, mode)
        return out


def _pairs(c: _Checker) -> set[str]:
    """Keys of trade_scale: "REPORTER-PARTNER" country pairs (EU counts as a partner)."""
    zones = c.countries | {"EU"}
    return {f"{a}-{b}" for a in zones for b in zones if a != b}


def _changes(c: _Checker, tbl: Any) -> Changes:
    if not isinstance(tbl, Mapping):
        c.bad("changes", "must be a table")
        return Changes()
    c.prefix = "changes."
    for key in sorted(set(tbl) - CHANGE_KEYS):
        c.bad(key, f"unknown key; expected one of {', '.join(sorted(CHANGE_KEYS))}")
    year = tbl.get("year")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100
    ):
        c.bad("year", "must be a year between 1900 and 2100")
        year = None
    sub = dict(tbl)
    changes = Changes(
        year=year,
        open=c.strings(sub, "open", c.link_ids),
        close=c.strings(sub, "close", c.link_ids),
        close_locations=c.strings(sub, "close_locations", set(c.net.locations)),
        close_countries=c.strings(sub, "close_countries", c.countries),
        close_passages=c.strings(sub, "close_passages", c.passages),
        close_basins=cast(tuple[Basin, ...], c.strings(sub, "close_basins", set(BASINS))),
        border_dwell_scale=c.scale(sub, "border_dwell_scale"),
        border_fee_scale=c.scale(sub, "border_fee_scale"),
        border_countries=c.strings(sub, "border_countries", c.countries),
        border_modes=c.strings(sub, "border_modes", {"rail", "road"}),
        tariff_scale=c.scales(sub, "tariff_scale", PARAM_MODES),
        frequency_scale=c.scales(sub, "frequency_scale", ("sea_caspian", "sea_open")),
        trade_scale=c.scales(sub, "trade_scale", sorted(_pairs(c))),
        capacity_scale=c.scales(sub, "capacity_scale", sorted(c.link_ids | set(c.net.locations))),
        lift_sanctions=c.strings(sub, "lift_sanctions", c.countries),
        premium_replace=_premium_replace(c, sub.get("premium_replace", {})),
    )
    c.prefix = ""
    return changes


def _premium_replace(c: _Checker, value: Any) -> dict[str, str]:
    """``{ paid = "instead" }``: ids of priced premiums in risk/premiums.csv."""
    premiums = c.net.risk.premiums
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        c.bad("premium_replace", 'must be a table of premium ids, e.g. { a = "b" }')
        return {}
    for key in (*value, *value.values()):
        if key not in premiums or not premiums[key].priced:
            c.bad(f"premium_replace.{key}", "not a priced premium id of risk/premiums.csv")
    return dict(value)


def _queries(c: _Checker, items: Any, router: Router) -> tuple[Query, ...]:
    if not isinstance(items, list) or not items:
        c.bad("queries", "at least one [[queries]] table is required")
        return ()
    out = []
    for i, q in enumerate(items):
        key = f"queries[{i}]"
        if not isinstance(q, Mapping):
            c.bad(key, "must be a table")
            continue
        for k in sorted(set(q) - QUERY_KEYS):
            c.bad(f"{key}.{k}", f"unknown key; expected one of {', '.join(sorted(QUERY_KEYS))}")
        for k in ("origin", "destination"):
            try:
                router.resolve(str(q.get(k, "")))
            except Exception as err:  # noqa: BLE001 - reported as a scenario problem
                c.bad(f"{key}.{k}", str(err))
        if q.get("cargo", "container") not in CARGO_CLASSES:
            c.bad(f"{key}.cargo", f"must be one of {', '.join(CARGO_CLASSES)}")
        if q.get("objective", "generalized") not in OBJECTIVES:
            c.bad(f"{key}.objective", f"must be one of {', '.join(OBJECTIVES)}")
        qty = q.get("quantity", 1.0)
        if (
            isinstance(qty, bool)
            or not isinstance(qty, int | float)
            or not math.isfinite(qty)
            or not 0 < qty <= MAX_QUANTITY
        ):
            c.bad(f"{key}.quantity", f"must be a number > 0 and at most {MAX_QUANTITY:g}")
            qty = 1.0
        c.prefix = f"{key}."
        corridors = c.strings(q, "corridors", set(c.net.corridors))
        c.prefix = ""
        profile = q.get("risk_profile", "none")
        if profile not in c.net.risk.profiles:
            known = ", ".join(sorted(c.net.risk.profiles))
            c.bad(f"{key}.risk_profile", f"unknown profile {profile!r}; known: {known}")
        avoid = q.get("avoid_sanctioned", False)
        if not isinstance(avoid, bool):
            c.bad(f"{key}.avoid_sanctioned", "must be true or false")
        out.append(
            Query(
                str(q.get("origin", "")),
                str(q.get("destination", "")),
                str(q.get("cargo", "container")),
                str(q.get("objective", "generalized")),
                float(qty) if isinstance(qty, int | float) else 1.0,
                corridors,
                str(profile),
                avoid is True,
            )
        )
    return tuple(out)


def _grid(c: _Checker, grid: Any) -> list[dict[str, Any]]:
    """``[grid] origins = [...], destinations = [...]`` (and any query key for all of them):
    one query per origin x destination, origin and destination different."""
    if not isinstance(grid, Mapping):
        c.bad("grid", "must be a table with origins and destinations")
        return []
    c.prefix = "grid."
    origins = c.strings(grid, "origins", None)
    destinations = c.strings(grid, "destinations", None)
    c.prefix = ""
    if not origins or not destinations:
        c.bad("grid", "needs non-empty origins and destinations")
    common = {k: v for k, v in grid.items() if k not in ("origins", "destinations")}
    return [
        {"origin": a, "destination": b, **common} for a in origins for b in destinations if a != b
    ]


def parse_scenario(
    root: Mapping[str, Any], router: Router, *, file: str, scenario_id: str
) -> Scenario:
    """Build a scenario from parsed TOML; raise :class:`ScenarioError` listing every problem."""
    c = _Checker(file, router.network)
    top = {"name", "description", "targets", "changes", "queries", "grid"}
    for key in sorted(set(root) - top):
        c.bad(key, f"unknown key; expected {', '.join(sorted(top))}")
    if not isinstance(root.get("name"), str) or not root.get("name"):
        c.bad("name", "required text is missing")
    changes = _changes(c, root.get("changes", {}))
    items = root.get("queries")
    if "grid" in root:
        items = [*(items if isinstance(items, list) else []), *_grid(c, root["grid"])]
    queries = _queries(c, items, router)
    targets = c.strings(root, "targets", set(c.net.corridors))
    if c.problems:
        raise ScenarioError(
            f"{len(c.problems)} problem(s) in scenario:\n  " + "\n  ".join(c.problems)
        )
    return Scenario(
        scenario_id, str(root["name"]), str(root.get("description", "")), changes, queries, targets
    )


def load_scenario(path: Path, router: Router) -> Scenario:
    try:
        root = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{path.name}: cannot read: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path.name}: invalid TOML: {err}") from err
    return parse_scenario(root, router, file=path.name, scenario_id=path.stem)


# ---- applying -----------------------------------------------------------------------------
def apply_changes(net: Network, ch: Changes) -> Network:
    """A new network with the scenario's opened lines and scaled figures; ``net`` is untouched."""
    opened = set(ch.open)
    links = tuple(replace(lk, status="operational") if lk.id in opened else lk for lk in net.links)
    p = net.params

    def scaled_border(b: Any) -> Any:
        countries = {net.locations[b.from_id].country, net.locations[b.to_id].country}
        touched = bool(not ch.border_countries or countries & set(ch.border_countries))
        touched = touched and (not ch.border_modes or b.mode in ch.border_modes)
        if b.id in opened:
            b = replace(b, status="operational")
        if not touched or (ch.border_dwell_scale == 1.0 and ch.border_fee_scale == 1.0):
            return b
        _, regime = p.border_figures(b.mode, *sorted(countries))
        dwell = b.dwell_h if b.dwell_h is not None else regime.dwell_h
        fee = b.fee_usd if b.fee_usd is not None else regime.fee_usd
        return replace(
            b,
            dwell_h=dwell * ch.border_dwell_scale,
            fee_usd=fee * ch.border_fee_scale,
            dwell_source=b.dwell_source or regime.sources["dwell_h"],
            dwell_h_back=None if b.dwell_h_back is None else b.dwell_h_back * ch.border_dwell_scale,
            fee_usd_back=None if b.fee_usd_back is None else b.fee_usd_back * ch.border_fee_scale,
        )

    borders = tuple(scaled_border(b) for b in net.borders)
    tariff_scale = {k: p.tariff_scale.get(k, 1.0) * v for k, v in ch.tariff_scale.items()}
    freq = {k: v * ch.frequency_scale.get(k, 1.0) for k, v in p.frequency_default_per_week.items()}
    links = tuple(
        replace(
            lk, frequency_per_week=lk.frequency_per_week * ch.frequency_scale[f"sea_{lk.basin}"]
        )
        if lk.mode == "sea" and lk.frequency_per_week and f"sea_{lk.basin}" in ch.frequency_scale
        else lk
        for lk in links
    )
    sw = p.sailing_wait
    if sw is not None:  # more sailings, shorter waits for space on one
        sw = replace(sw, hours=sw.hours / ch.frequency_scale.get(f"sea_{sw.basin}", 1.0))
    params = replace(
        p,
        tariff_scale={**p.tariff_scale, **tariff_scale},
        frequency_default_per_week=freq,
        sailing_wait=sw,
    )
    return replace(
        net,
        links=links,
        borders=borders,
        params=params,
        risk=_changed_risk(net.risk, ch),
        version=f"{net.version}+scenario",
    )


def _changed_risk(risk: RiskData, ch: Changes) -> RiskData:
    """Risk data with sanctions regimes lifted (``avoid_sanctioned`` no longer excludes their
    targets) and premiums replaced in every profile (a lifted regime's lower cost is a
    replacement: the premiums are data, the scenario says which applies)."""
    if not ch.lift_sanctions and not ch.premium_replace:
        return risk
    profiles = {
        name: replace(
            prof,
            premiums=tuple(dict.fromkeys(ch.premium_replace.get(x, x) for x in prof.premiums)),
        )
        for name, prof in risk.profiles.items()
    }
    sanctions = tuple(s for s in risk.sanctions if s.target not in set(ch.lift_sanctions))
    return replace(risk, sanctions=sanctions, profiles=profiles)


def scenario_request(req: RouteRequest, ch: Changes) -> RouteRequest:
    """The request with the scenario's closures and year as hard rules."""

    def merged(a: tuple[T, ...], b: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(dict.fromkeys(a + b))

    return replace(
        req,
        year=ch.year if ch.year is not None else req.year,
        exclude_links=merged(req.exclude_links, ch.close),
        exclude_locations=merged(req.exclude_locations, ch.close_locations),
        exclude_countries=merged(req.exclude_countries, ch.close_countries),
        exclude_passages=merged(req.exclude_passages, ch.close_passages),
        exclude_basins=merged(req.exclude_basins, ch.close_basins),
    )


@dataclass(frozen=True)
class QueryResult:
    query: Query
    baseline: Comparison
    scenario: Comparison


def base_request(q: Query) -> RouteRequest:
    return request_from_options(
        {
            "origin": q.origin,
            "destination": q.destination,
            "objective": q.objective,
            "cargo": q.cargo,
            "quantity": q.quantity,
            "risk_profile": q.risk_profile,
            "avoid_sanctioned": q.avoid_sanctioned,
        }
    )


def run_scenario(
    base_router: Router,
    sc: Scenario,
    *,
    baseline_cache: dict[Query, Comparison] | None = None,
    scenario_router: Router | None = None,
) -> list[QueryResult]:
    """Baseline and scenario comparison for every query of ``sc``."""
    scen_router = scenario_router or Router(apply_changes(base_router.network, sc.changes))
    cache = baseline_cache if baseline_cache is not None else {}
    out = []
    for q in sc.queries:
        if q not in cache:
            cache[q] = compare(base_router, base_request(q), q.corridors or None)
        scen = compare(
            scen_router, scenario_request(base_request(q), sc.changes), q.corridors or None
        )
        out.append(QueryResult(q, cache[q], scen))
    return out
