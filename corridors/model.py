"""Domain types: the network as loaded from files, and the route a solver returns.

All types are frozen dataclasses.  Units are in the field names: ``_km``, ``_h`` (hours),
``_usd``, ``_kg`` (kg CO2e).  Ids are lowercase slugs (``[a-z0-9_]+``) and stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from corridors.graph.states import mode_state, rail_state
from corridors.params import Parameters
from corridors.risk.model import RiskData

Mode = Literal["rail", "road", "sea", "air"]
Status = Literal["operational", "under_construction", "planned"]
MODES: tuple[Mode, ...] = ("rail", "road", "sea", "air")
STATUSES: tuple[Status, ...] = ("operational", "under_construction", "planned")
LOCATION_KINDS = (
    "city",
    "rail_junction",
    "rail_station",
    "seaport",
    "caspian_port",
    "airport",
    "border_point",
    "dry_port",
)
GAUGES_MM = (1000, 1435, 1520, 1676)
Basin = Literal["caspian", "open"]
BASINS: tuple[Basin, ...] = ("caspian", "open")
# a sea link's service class, when it is not a ship that containers are lifted onto: "roro",
# trucks drive on and off, so the truck stays a road vehicle; "rail_ferry", wagons roll on and
# off, so the container stays on its wagon, in the rail state of the link's gauge.  Either way
# the port calls belong to the sailing.
SERVICES = ("roro", "rail_ferry")


@dataclass(frozen=True)
class Source:
    """A published source, a computed method, or an estimate method that figures point to."""

    key: str
    kind: Literal["published", "computed", "estimate"]
    title: str
    publisher: str
    url: str
    year: int | None
    method: str
    factor: float | None = None  # detour factor of a great-circle estimate


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    lat: float
    lon: float
    kind: str
    unlocode: str
    iata: str
    source: str
    notes: str = ""


@dataclass(frozen=True)
class Link:
    """A two-way connection between two locations by one mode."""

    id: str
    from_id: str
    to_id: str
    mode: Mode
    distance_km: float
    status: Status
    source: str
    gauge_mm: int | None = None
    basin: str | None = None
    passages: tuple[str, ...] = ()
    opening_year: int | None = None
    speed_kmh: float | None = None
    capacity_mt_per_year: float | None = None
    frequency_per_week: float | None = None
    attr_source: str = ""
    notes: str = ""
    service: str | None = None  # one of SERVICES, sea links only

    @property
    def state(self) -> str:
        """The state-graph state its vehicles travel in: a ro-ro sailing carries road vehicles,
        a rail ferry wagons of its gauge."""
        if self.service == "roro":
            return "road"
        if self.service == "rail_ferry":
            return mode_state("rail", self.gauge_mm)
        return mode_state(self.mode, self.gauge_mm)


@dataclass(frozen=True)
class BorderCrossing:
    """The crossing between the two sides of one border point, for one mode (rail or road)."""

    id: str
    from_id: str
    to_id: str
    mode: Mode
    distance_km: float
    status: Status
    source: str
    gauges_mm: tuple[int, ...] = ()
    dwell_h: float | None = None  # from_id -> to_id (both ways unless the back figure is given)
    fee_usd: float | None = None
    dwell_source: str = ""
    opening_year: int | None = None
    notes: str = ""
    dwell_h_back: float | None = None  # to_id -> from_id, where measured apart
    fee_usd_back: float | None = None

    def figures(self, forward: bool) -> tuple[float | None, float | None]:
        """Own dwell hours and fee for one direction (None: the regime's figure)."""
        if forward:
            return self.dwell_h, self.fee_usd
        dwell = self.dwell_h_back if self.dwell_h_back is not None else self.dwell_h
        return dwell, self.fee_usd_back if self.fee_usd_back is not None else self.fee_usd


@dataclass(frozen=True)
class CorridorDef:
    """A named corridor, defined by rules on the route (see network_data/corridors.toml)."""

    id: str
    name: str
    description: str
    gates: tuple[tuple[str, ...], ...] = ()
    exclude_countries: tuple[str, ...] = ()
    exclude_basins: tuple[Basin, ...] = ()
    modes: tuple[Mode, ...] | None = None
    through_iran: bool = False
    sources: tuple[str, ...] = ()
    # the markets served: pairs of country sets; the corridor applies to a pair of places when
    # one lies in the first set and the other in the second (either way); () = everywhere
    markets: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()

    def serves(self, country_a: str, country_b: str) -> bool:
        """Whether the corridor serves a shipment between these two countries."""
        if not self.markets:
            return True
        return any(
            (country_a in x and country_b in y) or (country_a in y and country_b in x)
            for x, y in self.markets
        )

    def gate_orders(
        self, country_a: str | None = None, country_b: str | None = None
    ) -> list[tuple[tuple[str, ...], ...]]:
        """The orders its gates may be passed in, for a shipment from ``country_a`` to
        ``country_b``: gates are listed from the markets' first side to their second, so as
        listed one way and reversed the other way.  Both orders when the markets do not tell
        (no markets, no countries given, or the two countries on both sides)."""
        if len(self.gates) < 2:
            return [self.gates]
        both = [self.gates, tuple(reversed(self.gates))]
        if country_a is None or country_b is None or not self.markets:
            return both
        forward = any(country_a in x and country_b in y for x, y in self.markets)
        backward = any(country_a in y and country_b in x for x, y in self.markets)
        if forward == backward:
            return both
        return [both[0]] if forward else [both[1]]


@dataclass(frozen=True)
class Network:
    """A validated network: locations, links, border crossings, sources and parameters."""

    locations: Mapping[str, Location]
    links: tuple[Link, ...]
    borders: tuple[BorderCrossing, ...]
    sources: Mapping[str, Source]
    params: Parameters
    version: str = ""
    corridors: Mapping[str, CorridorDef] = field(default_factory=dict)
    # a corridor whose best route costs more than this x the best route (generalized cost) is
    # "not competitive" in a comparison (corridors.toml [comparison])
    corridor_detour_factor: float = 1.5
    data_dir: Path | None = None  # where the network was read from (None: built in memory)
    risk: RiskData = field(default_factory=RiskData)
    # the path of each sea link, (lon, lat) points from its from_id to its to_id (geometry/)
    sea_lines: Mapping[str, Sequence[tuple[float, float]]] = field(default_factory=dict)
    _modes: Mapping[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def link_by_id(self) -> dict[str, Link]:
        return {lk.id: lk for lk in self.links}

    def modes_at(self, location_id: str) -> frozenset[str]:
        """Modes served at a location, derived from its links and crossings (``rail_1520``...)."""
        return self._modes.get(location_id, frozenset())

    def is_sourced(self, source_key: str) -> bool:
        """True when a source key names a published or computed source, not an estimate."""
        src = self.sources.get(source_key)
        return src is not None and src.kind != "estimate"


def derive_modes(
    links: tuple[Link, ...], borders: tuple[BorderCrossing, ...]
) -> dict[str, frozenset[str]]:
    """Modes per location: ``rail_<gauge>``, ``road``, ``sea``, ``air``."""
    modes: dict[str, set[str]] = {}
    for link in links:
        for loc in (link.from_id, link.to_id):
            modes.setdefault(loc, set()).add(link.state)
    for b in borders:
        tags = [rail_state(g) for g in b.gauges_mm] if b.mode == "rail" else [b.mode]
        for loc in (b.from_id, b.to_id):
            modes.setdefault(loc, set()).update(tags)
    return {k: frozenset(v) for k, v in modes.items()}


@dataclass(frozen=True)
class Leg:
    """One link of a route, for the whole shipment (quantity already applied)."""

    mode: str
    from_id: str
    to_id: str
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    countries: tuple[str, ...]
    link_id: str
    gauge_mm: int | None = None
    status: str = "operational"
    opening_year: int | None = None


@dataclass(frozen=True)
class Event:
    """A stop that adds time or cost without distance: border, transfer, gauge change,
    port handling, terminal, service wait, via dwell."""

    kind: str
    location_id: str
    time_h: float
    cost_usd: float
    detail: str = ""
    default_used: bool = False


@dataclass(frozen=True)
class TcdPoint:
    """One point of the UNESCAP time/cost-distance series (cumulative values)."""

    distance_km: float
    time_h: float
    cost_usd: float
    label: str


@dataclass(frozen=True)
class RouteSummary:
    """Totals of a route for the whole shipment; ``signature`` lists the border crossings and
    ports used, in order."""

    cost_usd: float
    time_h: float
    distance_km: float
    co2_kg: float
    border_crossings: int
    countries: tuple[str, ...]
    signature: tuple[str, ...]
    risk_usd: float = 0.0  # priced risk of the request's profile (never inside cost_usd)
    risk_score: float | None = None  # the worst security score of the countries (0..100)

    @property
    def time_days(self) -> float:
        return self.time_h / 24.0

    @property
    def total_usd(self) -> float:
        """Transport cost plus priced risk."""
        return self.cost_usd + self.risk_usd


@dataclass(frozen=True)
class StageRule:
    """A resolved "pass here" rule of a request: via point, gate or one-of set.

    ``locations`` are location ids (meeting any one of them meets the rule), ``dwell_h`` the
    hours spent there, ``name`` how the rule reads to a user (``via Sarakhs``).  Places in
    ``by_sea`` count only when used as a port: a ship arrives or leaves there (``alat@sea``);
    places in ``as_port`` also when the shipment starts or ends there (``bandar_abbas@port``:
    leave the place by ship unless the shipment ends there).
    """

    locations: frozenset[str]
    dwell_h: float
    name: str
    by_sea: frozenset[str] = frozenset()
    as_port: frozenset[str] = frozenset()

    @property
    def is_via(self) -> bool:
        return self.name.startswith("via ")


@dataclass(frozen=True)
class SolverInfo:
    """Which solver answered, its status, its objective per unit of cargo and the time taken."""

    name: str
    status: str
    elapsed_ms: float
    objective_per_unit: float | None = None


@dataclass(frozen=True)
class ProvenanceEntry:
    """A source a route used, and for what (``line haul``, ``border crossing``...)."""

    source: str
    kind: str
    title: str
    publisher: str
    url: str
    year: int | None
    used_for: tuple[str, ...]


@dataclass(frozen=True)
class RiskLine:
    """One priced risk of a route, for the whole shipment: a premium charged on a sea passage
    or on entering a country (``kind`` war_risk_cargo, sanctions_cost...)."""

    kind: str
    area: str  # sea passage id, ``caspian`` or country code
    location_id: str  # where it is charged
    premium_id: str
    basis: str  # pct_cargo_value | usd_per_teu
    rate: float  # in the basis's unit
    cost_usd: float
    sources: tuple[str, ...]
    on_charges: bool = False  # a % of the transport charges paid in the country (not of value)


@dataclass(frozen=True)
class Exposure:
    """A sanctions regime on a country the route passes (facts with dates, not legal advice)."""

    country: str
    regime_id: str
    imposed_by: str
    scope: str
    summary: str
    as_of: str


@dataclass(frozen=True)
class Route:
    """A best route, explained: summary, legs and events in travel order, the UNESCAP
    time/cost-distance series, provenance of every figure, warnings and the solver's report.

    Figures are for the whole shipment (``quantity`` units of ``cargo``).
    """

    origin: str
    destination: str
    cargo: str
    quantity: float
    objective: str
    summary: RouteSummary
    steps: tuple[Leg | Event, ...]  # legs and events in travel order
    tcd: tuple[TcdPoint, ...]
    provenance: tuple[ProvenanceEntry, ...]
    warnings: tuple[str, ...]
    solver: SolverInfo
    risk_profile: str = "none"
    risk: tuple[RiskLine, ...] = ()  # priced risks, in travel order; sum = summary.risk_usd
    exposure: tuple[Exposure, ...] = ()  # sanctions regimes on the countries passed

    @property
    def legs(self) -> tuple[Leg, ...]:
        return tuple(s for s in self.steps if isinstance(s, Leg))

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(s for s in self.steps if isinstance(s, Event))
