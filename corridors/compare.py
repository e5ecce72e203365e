"""Compare an origin and destination across the named corridors, and Iran against the rest.

For each corridor the optimiser finds the best route that obeys the corridor's rules (its
gates are tried in the given and in the reverse order, so a corridor works in both
directions); a corridor without a route says why.  Results are ranked by the request's
objective.  The best route through Iran is the best of the corridors marked ``through_iran``;
the best route avoiding Iran is the best route that never touches Iran.  For every route the
share of distance, time and cost spent in Iran is reported (a cross-border leg counts half on
each side; events count where they happen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from corridors.errors import NoRouteError, RequestError
from corridors.model import CorridorDef, Leg, Network, Route
from corridors.request import RouteRequest, objective_value
from corridors.routing import Router

IRAN = "IR"


@dataclass(frozen=True)
class CorridorResult:
    corridor: CorridorDef
    route: Route | None
    reason: str | None = None  # why there is no route
    iran_share: dict[str, float] | None = None


@dataclass(frozen=True)
class Comparison:
    request: RouteRequest
    results: tuple[CorridorResult, ...]  # ranked: routes first, by objective
    best_through_iran: CorridorResult | None
    best_avoiding_iran: Route | None
    avoiding_reason: str | None
    delta: dict[str, float] | None  # through Iran minus avoiding Iran
    best_overall: Route | None = None  # the best route under the request's own rules only
    best_reason: str | None = None  # why there is no best route at all


def country_share(net: Network, route: Route, country: str) -> dict[str, float]:
    """Share (0-1) of the route's distance, time and cost spent in ``country``."""
    dist = hours = usd = 0.0
    for step in route.steps:
        if isinstance(step, Leg):
            inside = (
                sum(net.locations[x].country == country for x in (step.from_id, step.to_id)) / 2
            )
            dist += inside * step.distance_km
        else:
            inside = float(net.locations[step.location_id].country == country)
        hours += inside * step.time_h
        usd += inside * step.cost_usd
    s = route.summary
    return {
        "distance": dist / s.distance_km if s.distance_km else 0.0,
        "time": hours / s.time_h if s.time_h else 0.0,
        "cost": usd / s.cost_usd if s.cost_usd else 0.0,
    }


def corridor_request(
    base: RouteRequest, c: CorridorDef, gates: Sequence[Sequence[str]]
) -> RouteRequest:
    """The base request with the corridor's rules added (the user's own rules are kept)."""
    modes = base.modes
    if c.modes is not None:
        modes = tuple(m for m in c.modes if base.modes is None or m in base.modes)
    return replace(
        base,
        gates=base.gates + tuple(tuple(g) for g in gates),
        exclude_countries=tuple(dict.fromkeys(base.exclude_countries + c.exclude_countries)),
        exclude_basins=tuple(dict.fromkeys(base.exclude_basins + c.exclude_basins)),
        modes=modes,
    )


def best_in_corridor(router: Router, base: RouteRequest, c: CorridorDef) -> CorridorResult:
    orders = [c.gates] if len(c.gates) < 2 else [c.gates, tuple(reversed(c.gates))]
    routes: list[Route] = []
    reasons: list[str] = []
    for gates in orders:
        try:
            routes.append(router.route(corridor_request(base, c, gates)))
        except NoRouteError as err:
            reasons.append(str(err))
        except RequestError as err:  # e.g. the origin lies in a country the corridor excludes
            reasons.append(str(err))
    if not routes:
        return CorridorResult(c, None, reasons[0] if reasons else "no route")
    vot = router.value_of_time(base)
    best = min(routes, key=lambda r: objective_value(r, base.objective, vot))
    return CorridorResult(c, best, None, country_share(router.network, best, IRAN))


def compare(
    router: Router, base: RouteRequest, corridor_ids: Sequence[str] | None = None
) -> Comparison:
    """Every corridor's best route for ``base``, ranked, and Iran against the alternatives."""
    corridors = router.network.corridors
    ids = list(corridor_ids) if corridor_ids else list(corridors)
    unknown = [x for x in ids if x not in corridors]
    if unknown:
        raise RequestError(
            f"unknown corridor(s) {', '.join(unknown)}; known: {', '.join(corridors)}"
        )
    router.resolve(base.origin)  # fail early, with suggestions, on an unknown place
    router.resolve(base.destination)
    results = [best_in_corridor(router, base, corridors[x]) for x in ids]
    vot = router.value_of_time(base)
    ranked = sorted(
        results,
        key=lambda r: (
            r.route is None,
            objective_value(r.route, base.objective, vot) if r.route else 0.0,
        ),
    )
    through = [r for r in ranked if r.route is not None and r.corridor.through_iran]
    best_iran = through[0] if through else None
    avoiding: Route | None = None
    reason = None
    try:
        avoiding = router.route(
            replace(base, exclude_countries=tuple(dict.fromkeys((*base.exclude_countries, IRAN))))
        )
    except (NoRouteError, RequestError) as err:
        reason = str(err)
    delta = None
    if best_iran is not None and best_iran.route is not None and avoiding is not None:
        a, b = best_iran.route.summary, avoiding.summary
        delta = {
            "cost_usd": a.cost_usd - b.cost_usd,
            "time_h": a.time_h - b.time_h,
            "co2_kg": a.co2_kg - b.co2_kg,
            "distance_km": a.distance_km - b.distance_km,
            "border_crossings": float(a.border_crossings - b.border_crossings),
        }
    overall: Route | None = None
    overall_reason = None
    try:
        overall = router.route(base)
    except (NoRouteError, RequestError) as err:
        overall_reason = str(err)
    return Comparison(
        base, tuple(ranked), best_iran, avoiding, reason, delta, overall, overall_reason
    )
