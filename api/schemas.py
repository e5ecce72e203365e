"""The HTTP contract: request and response bodies of /v1 (separate from the library's types)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from corridors.request import DEFAULT_LIMITS, MAX_AREAS, Basin, Cargo, Mode, Objective, Solver

__all__ = ["Cargo", "Objective", "RouteBody", "RouteOut"]

HARD_LIST_CAP = 50  # exclusion lists: the service's default limit (CORRIDORS_MAX_EXCLUSIONS)

Place = Field(
    min_length=1, max_length=100, description="Location id, name, alias, UN/LOCODE or IATA code"
)


def _whole_number(value: object) -> object:
    """A JSON integer may be written 2030.0 (JSON Schema counts it as an integer); strings and
    booleans are not numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = BeforeValidator(_whole_number)


class Problem(BaseModel):
    """RFC 9457 problem details; extra members depend on ``type``."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(description="Stable problem type, e.g. /problems/location-not-found")
    title: str
    status: int
    detail: str
    instance: str


PROBLEM_DESCRIPTIONS = {
    404: "location-not-found (with suggestions) or no-route",
    409: "constraint-conflict: a place that must be on the route is excluded",
    413: "too-big: a documented limit was exceeded",
    422: "validation-error, invalid-request, no-route-under-constraints or solver-failed",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for problem-details errors, served as application/problem+json."""
    schema = Problem.model_json_schema()
    return {
        code: {
            "description": PROBLEM_DESCRIPTIONS[code],
            "content": {"application/problem+json": {"schema": schema}},
        }
        for code in codes
    }


class ViaBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    location: str = Place
    dwell_h: float = Field(0.0, ge=0, le=8760, description="Hours spent at the via point")


class RouteBody(BaseModel):
    """A route query; every rule is hard (never relaxed)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,  # no coercion: "2" is not a number, true is not a quantity
        json_schema_extra={
            "examples": [
                {
                    "origin": "Tashkent",
                    "destination": "Bandar Abbas",
                    "objective": "cost",
                    "cargo": "container",
                    "quantity": 2,
                    "exclude_countries": ["AF"],
                    "max_borders": 4,
                }
            ]
        },
    )
    origin: str = Place
    destination: str = Place
    objective: Objective = Field("cost", description="What to minimise")
    cargo: Cargo = Field(
        "container", description="container (TEU), bulk (t), perishable (reefer TEU)"
    )
    quantity: float = Field(
        1.0,
        gt=0,
        le=DEFAULT_LIMITS.max_quantity,
        allow_inf_nan=False,
        description="Units of cargo: TEU, or tonnes for bulk",
    )
    value_of_time_usd_per_unit_h: float | None = Field(
        None,
        ge=0,
        le=1e6,
        description="For 'generalized'; default: the cargo class's value of time",
    )
    modes: list[Mode] | None = Field(None, min_length=1, max_length=4, description="Allowed modes")
    exclude_countries: list[str] = Field(
        default_factory=list, max_length=HARD_LIST_CAP, description="ISO 3166-1 alpha-2 codes"
    )
    exclude_locations: list[str] = Field(default_factory=list, max_length=HARD_LIST_CAP)
    exclude_links: list[str] = Field(
        default_factory=list, max_length=HARD_LIST_CAP, description="Link or border-crossing ids"
    )
    year: Annotated[int | None, WholeNumber] = Field(
        None, ge=1900, le=2100, description="Also use lines due to open by this year"
    )
    via: list[ViaBody] = Field(
        default_factory=list, max_length=DEFAULT_LIMITS.max_via, description="Pass these in order"
    )
    one_of: list[str] = Field(
        default_factory=list,
        max_length=DEFAULT_LIMITS.max_one_of,
        description="Pass at least one of these",
    )
    gates: list[Annotated[list[str], Field(min_length=1, max_length=HARD_LIST_CAP)]] = Field(
        default_factory=list,
        max_length=DEFAULT_LIMITS.max_gates,
        description="Pass one place of each gate, in order (an ISO code: any place in that "
        "country)",
    )
    exclude_passages: list[str] = Field(
        default_factory=list,
        max_length=HARD_LIST_CAP,
        description="Sea passages to avoid, e.g. ormuz, suez, babalmandab, bosporus",
    )
    exclude_basins: list[Basin] = Field(default_factory=list, max_length=2)
    max_hours: float | None = Field(None, ge=0, le=1e6)
    max_cost_usd: float | None = Field(None, ge=0, le=1e12, description="For the whole shipment")
    max_borders: Annotated[int | None, WholeNumber] = Field(None, ge=0, le=100)
    solver: Solver = "auto"
    time_limit_s: float | None = Field(
        None,
        gt=0,
        le=600,
        description="Per solve; default and maximum: the server's limit (a longer one is cut)",
    )
    risk_profile: str = Field(
        "none",
        max_length=64,
        description="Who ships (GET /v1/risk lists profiles): their premiums are priced as "
        "risk lines and count in the cost and generalized objectives; 'none' prices no risk",
    )
    avoid_sanctioned: bool = Field(
        False, description="Never enter a country under sanctions the profile observes"
    )
    require_transit_regime: bool = Field(
        False, description="Road only in TIR countries, rail only in COTIF or OSJD ones"
    )
    max_risk_score: float | None = Field(
        None, ge=0, le=100, description="Never enter a country whose risk score is above this"
    )
    avoid_areas: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=MAX_AREAS,
        description="GeoJSON Polygons or MultiPolygons (or Features of them), lon/lat: no link "
        "or crossing that meets one, no place inside one",
    )


class ParetoBody(RouteBody):
    max_borders: None = Field(None, description="Not supported for the Pareto frontier")
    include_co2: bool = Field(False, description="Add CO2 as a third criterion")
    epsilon: float = Field(0.0, ge=0, lt=1, description="Thin points within this relative share")


class Summary(BaseModel):
    cost_usd: float
    time_h: float
    time_days: float
    distance_km: float
    co2_kg: float
    border_crossings: int
    countries: list[str]
    signature: list[str] = Field(description="Border crossings and ports used, in order")
    risk_usd: float = Field(description="Priced risk of the request's profile (not in cost_usd)")
    total_usd: float = Field(description="cost_usd + risk_usd")
    risk_score: float | None = Field(
        description="Worst security risk score (0 safest .. 100) of the countries passed"
    )


class LegOut(BaseModel):
    seq: int = Field(description="Position in travel order among legs and events")
    mode: str
    from_id: str
    to_id: str
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    countries: list[str]
    link_id: str
    gauge_mm: int | None
    status: str
    opening_year: int | None


class EventOut(BaseModel):
    seq: int = Field(description="Position in travel order among legs and events")
    kind: str = Field(
        description="border, transfer, port_handling, gauge_change, terminal, "
        "service_wait, via_dwell"
    )
    location_id: str
    time_h: float
    cost_usd: float
    detail: str
    default_used: bool


class TcdPoint(BaseModel):
    distance_km: float
    time_h: float
    cost_usd: float
    label: str


class ProvenanceOut(BaseModel):
    source: str
    kind: str
    title: str
    publisher: str
    url: str
    year: int | None
    used_for: list[str]


class RiskLineOut(BaseModel):
    kind: str = Field(description="war_risk_cargo, war_risk_hull, sanctions_cost, security_cost")
    area: str = Field(description="Sea passage id, caspian, or country code")
    location_id: str
    premium_id: str
    basis: str
    rate: float
    cost_usd: float
    sources: list[str]


class ExposureOut(BaseModel):
    country: str
    regime_id: str
    imposed_by: str
    scope: str
    summary: str
    as_of: str


class RouteOut(BaseModel):
    origin: str
    destination: str
    cargo: str
    quantity: float
    objective: str
    summary: Summary
    legs: list[LegOut]
    events: list[EventOut]
    tcd: list[TcdPoint] = Field(description="Cumulative time/cost-distance series (UNESCAP)")
    provenance: list[ProvenanceOut]
    warnings: list[str]
    solver: dict[str, Any]
    network: str = Field(description="Version of the network data that answered")
    risk_profile: str
    risk: list[RiskLineOut] = Field(description="Priced risks in travel order")
    exposure: list[ExposureOut] = Field(
        description="Sanctions regimes on the countries passed (facts with dates, not advice)"
    )
    geometry: dict[str, Any] = Field(
        description="RFC 7946 FeatureCollection, one LineString per leg"
    )


class VotRange(BaseModel):
    from_: float = Field(alias="from", description="USD per unit-hour")
    to: float | None = Field(description="USD per unit-hour; null: no upper bound")


class ParetoPointOut(BaseModel):
    summary: Summary
    flip_value_of_time_usd_per_unit_h: float | None = Field(
        description="Value of time (USD per unit-hour) above which this point beats the previous"
    )
    optimal_for_value_of_time: VotRange | None = Field(
        description="Value-of-time range over which this point minimises cost + VoT x time; "
        "null if it does so for no value of time"
    )
    route: RouteOut


class ParetoOut(BaseModel):
    criteria: list[str]
    points: list[ParetoPointOut]
    solver: dict[str, Any]


class LocationOut(BaseModel):
    id: str
    name: str
    aliases: list[str]
    country: str
    kind: str
    lat: float
    lon: float
    modes: list[str]
    unlocode: str | None
    iata: str | None


class CountryOut(BaseModel):
    name: str
    locations: int


class NetworkOut(BaseModel):
    version: str
    locations: int
    links: int
    links_by_mode: dict[str, dict[str, int]]
    border_crossings: int
    countries: dict[str, CountryOut]
    sourced_share: float
    sourced_share_km: float
    distance_sources: dict[str, int] = Field(
        description="Links by the kind of their distance's source: published, computed, estimate"
    )
    sources: int
    price_year: int


class Ready(BaseModel):
    status: Literal["ready", "busy"]
    network_version: str
    running: int = Field(description="Solver jobs running")
    waiting: int = Field(description="Requests waiting for a worker")
    workers: int
    queue: int = Field(description="Requests that may wait before new ones get 503")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    network_version: str


class CorridorOut(BaseModel):
    id: str
    name: str
    description: str
    gates: list[list[str]]
    exclude_countries: list[str]
    exclude_basins: list[str]
    modes: list[str] | None
    through_iran: bool
    sources: list[str]
    markets: list[list[list[str]]] = Field(
        description="Pairs of country lists the corridor serves (empty: everywhere)"
    )


class CorridorRowOut(BaseModel):
    corridor: str
    name: str
    through_iran: bool
    status: Literal["ranked", "not_competitive", "not_applicable", "no_route"]
    summary: Summary | None
    gap_to_best: dict[str, float] | None = Field(
        description="Extra objective, cost_usd and time_h against the best route of all"
    )
    iran_share: dict[str, float] | None = Field(
        description="Share (0-1) of distance, time and cost spent in Iran"
    )
    reason: str | None = Field(description="Why the corridor has no route")
    route: dict[str, Any] | None = Field(description="The corridor's best route (see RouteOut)")


class IranOut(BaseModel):
    best_through_iran: str | None
    best_through_iran_summary: Summary | None
    best_avoiding_iran_summary: Summary | None
    best_avoiding_iran_reason: str | None
    delta_through_minus_avoiding: dict[str, float] | None


class CompareOut(BaseModel):
    network: str = Field(description="Version of the network data that answered")
    origin: str
    destination: str
    objective: str
    cargo: str
    quantity: float
    value_of_time_usd_per_unit_h: float
    detour_factor: float = Field(description="Over this x the best route: not competitive")
    best: Summary | None = Field(description="The best route under the request's own rules")
    best_reason: str | None
    best_follows: list[str] = Field(description="Corridors the best route follows")
    best_iran_share: dict[str, float] | None
    corridors: list[CorridorRowOut] = Field(description="Ranked by the objective")
    iran: IranOut


class ScenarioInfoOut(BaseModel):
    id: str
    name: str | None
    description: str | None
    changes: dict[str, Any]
    queries: int


class ScenarioSideOut(BaseModel):
    best: Summary | None
    best_reason: str | None
    best_corridor: str | None
    best_through_iran: dict[str, Any] | None
    best_avoiding_iran: Summary | None
    corridors: dict[str, Summary | None]


class ScenarioResultOut(BaseModel):
    origin: str
    destination: str
    cargo: str
    objective: str
    quantity: float
    baseline: ScenarioSideOut
    scenario: ScenarioSideOut
    diff: dict[str, Any] = Field(description="Scenario minus baseline, per view")


class ScenarioRunOut(BaseModel):
    network: str = Field(description="Version of the network data that answered")
    scenario: str
    name: str
    description: str
    targets: list[str] = Field(description="The corridors the scenario is about")
    results: list[ScenarioResultOut]
