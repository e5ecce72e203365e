"""Compare an origin and destination across the named corridors, and Iran against the rest.

A corridor applies to a pair of places only when it serves their market (``markets`` in
corridors.toml); for each one that applies the optimiser finds the best route that obeys the
corridor's rules (its gates are tried in the given and in the reverse order, so a corridor
works in both directions).  A corridor whose route would go out and back through a place is
not applicable; one whose route costs more than the detour factor x the best route of all is
not competitive (shown with its numbers, not ranked); a corridor without a route says why.
Ranked rows are ordered by the request's objective (generalized cost by default in the CLI, the
API and scenarios), each with its gap to the best route of all.  The best route of all is
labelled with the corridors it actually follows.  The best route through Iran is the best of the corridors marked ``through_iran``;
the best route avoiding Iran is the best route that never touches Iran.  For every route the
share of distance, time and cost spent in Iran is reported (a cross-border leg counts half on
each side; events count where they happen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from corridors.deadline import check_deadline
from corridors.errors import (
    InfeasibleError,
    NoRouteError,
    RequestError,
    SolverError,
    UnknownCorridorError,
)
from corridors.graph.states import EdgeKind
from corridors.model import CorridorDef, Leg, Network, Route
from corridors.request import RouteRequest, objective_value
from corridors.routing import Router

IRAN = "IR"


Status = Literal["ranked", "not_competitive", "not_applicable", "no_route"]


@dataclass(frozen=True)
class CorridorResult:
    """One corridor's answer for a pair of places.

    ``status``: ``ranked`` (a competitive option), ``not_competitive`` (its best route costs
    more than the detour factor x the best route of all: shown with its numbers, not ranked),
    ``not_applicable`` (the corridor does not serve this market, or would go out and back),
    ``no_route``.  ``gap`` is the extra generalized cost (USD), cost (USD) and time (h) against
    the best route of all: how much the corridor must improve to win.
    """

    corridor: CorridorDef
    route: Route | None
    reason: str | None = None  # why there is no route, or why it is not applicable/competitive
    iran_share: dict[str, float] | None = None
    status: Status = "ranked"
    gap: dict[str, float] | None = None


@dataclass(frozen=True)
class Comparison:
    request: RouteRequest
    results: tuple[CorridorResult, ...]  # ranked rows first, by objective; then the others
    best_through_iran: CorridorResult | None
    best_avoiding_iran: Route | None
    avoiding_reason: str | None
    delta: dict[str, float] | None  # through Iran minus avoiding Iran
    best_overall: Route | None = None  # the best route under the request's own rules only
    best_reason: str | None = None  # why there is no best route at all
    best_follows: tuple[str, ...] = ()  # corridors the best route of all follows
    best_iran_share: dict[str, float] | None = None
    value_of_time_usd_per_unit_h: float = 0.0
    detour_factor: float = 1.5


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


def follows_edges(router: Router, path: Sequence[int], c: CorridorDef) -> bool:
    """:func:`follows` for a path of state-graph edges (no explained route needed)."""
    net, g = router.network, router.graph
    legs = [g.edges[e] for e in path if g.edges[e].kind in (EdgeKind.LINE_HAUL, EdgeKind.BORDER)]
    if not legs:
        return False
    countries = {net.locations[x].country for e in legs for x in (e.tail[0], e.head[0])}
    hops = [(e.tail[0], e.head[0], e.family, e.ref) for e in legs]
    return _keeps(net, c, countries, legs[0].tail[0], hops)


def follows(net: Network, route: Route, c: CorridorDef) -> bool:
    """Whether a route keeps a corridor's rules: its gates in order (in the shipment's
    direction, see :meth:`CorridorDef.gate_orders`), its exclusions and its modes."""
    hops = [(leg.from_id, leg.to_id, leg.mode, leg.link_id) for leg in route.legs]
    return _keeps(net, c, set(route.summary.countries), route.origin, hops)


def _keeps(
    net: Network,
    c: CorridorDef,
    countries: set[str],
    start: str,
    hops: Sequence[tuple[str, str, str, str]],  # (from, to, mode, link or crossing id)
) -> bool:
    if countries & set(c.exclude_countries):
        return False
    if c.modes is not None and any(mode not in c.modes for _, _, mode, _ in hops):
        return False
    basins = set(c.exclude_basins)
    if basins and any(
        mode == "sea" and ref in net.link_by_id and net.link_by_id[ref].basin in basins
        for _, _, mode, ref in hops
    ):
        return False
    visits: list[tuple[str, set[str]]] = [(start, set())]
    for a, b, mode, _ in hops:  # each place with the modes of the hops arriving and leaving
        if visits[-1][0] != a:  # a crossing of 0 km has no leg of its own
            visits.append((a, set()))
        visits[-1][1].add(mode)
        visits.append((b, {mode}))
    end = net.locations[visits[-1][0]].country
    orders = c.gate_orders(net.locations[start].country, end)
    return any(_passes(net, visits, gates) for gates in orders)


def _passes(
    net: Network, visits: list[tuple[str, set[str]]], gates: Sequence[Sequence[str]]
) -> bool:
    k = 0
    for i, (loc, modes) in enumerate(visits):
        at_end = i in (0, len(visits) - 1)
        while k < len(gates) and _meets(net, loc, modes, gates[k], at_end):
            k += 1
    return k == len(gates)


def _meets(net: Network, loc: str, modes: set[str], gate: Sequence[str], at_end: bool) -> bool:
    """Whether a place (with the modes of its legs in and out; ``at_end``: the shipment starts
    or ends there) meets one gate."""
    for entry in gate:
        place, _, by = entry.partition("@")
        if by:
            if place == loc and ("sea" in modes or (by == "port" and at_end)):
                return True
        elif place == loc or (len(place) == 2 and net.locations[loc].country == place):
            return True
    return False


def best_in_corridor(
    router: Router, base: RouteRequest, c: CorridorDef, *, check_markets: bool = True
) -> CorridorResult:
    """A corridor's best route for ``base`` (or why it has none, or does not apply).
    ``check_markets=False`` takes the corridor as route rules only (calibration rows)."""
    net = router.network
    a = net.locations[router.resolve(base.origin)].country
    b = net.locations[router.resolve(base.destination)].country
    if check_markets and not c.serves(a, b):
        return CorridorResult(
            c, None, f"does not serve {a}-{b} (see its markets)", status="not_applicable"
        )
    # (request, whether its route must still be checked against the gates)
    requests = [(corridor_request(base, c, gates), False) for gates in c.gate_orders(a, b)]
    if base.via:
        # Via points are ordered among themselves, not against the corridor's gates (a gate
        # between two via points is unsatisfiable as a later stage): also route through the
        # via points under the corridor's exclusions, kept if the route meets the gates in order.
        requests.append((corridor_request(base, c, ()), True))
    routes: list[Route] = []
    reasons: list[str] = []
    revisits: list[str] = []
    for req, check in requests:
        try:
            route = router.route(req)
            if not check or follows(net, route, c):
                routes.append(route)
        except InfeasibleError as err:
            (revisits if err.rules == ["simple_path"] else reasons).append(str(err))
        except NoRouteError as err:
            reasons.append(str(err))
        except RequestError as err:  # e.g. the origin lies in a country the corridor excludes
            reasons.append(str(err))
        except SolverError as err:  # a corridor's solve stopped at its limit: that corridor only
            if err.status == "deadline":
                raise
            reasons.append(str(err))
    if not routes:
        if revisits:
            return CorridorResult(c, None, revisits[0], status="not_applicable")
        return CorridorResult(c, None, reasons[0] if reasons else "no route", status="no_route")
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
        raise UnknownCorridorError(unknown, list(corridors))
    origin = router.resolve(base.origin)  # fail early, with suggestions, on an unknown place
    if origin == router.resolve(base.destination):
        raise RequestError(
            "origin and destination are the same location", kind="constraint-conflict"
        )
    vot = router.value_of_time(base)
    overall: Route | None = None
    overall_reason = None
    try:
        overall = router.route(base)
    except (NoRouteError, RequestError) as err:
        overall_reason = str(err)
    factor = router.network.corridor_detour_factor
    results = []
    for x in ids:
        check_deadline()
        results.append(
            _judge(best_in_corridor(router, base, corridors[x]), overall, base, vot, factor)
        )
    order = {"ranked": 0, "not_competitive": 1, "not_applicable": 2, "no_route": 3}
    ranked = sorted(
        results,
        key=lambda r: (
            order[r.status],
            objective_value(r.route, base.objective, vot) if r.route else 0.0,
        ),
    )
    through = [
        r for r in ranked if r.status in ("ranked", "not_competitive") and r.corridor.through_iran
    ]
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
            "risk_usd": a.risk_usd - b.risk_usd,
            "time_h": a.time_h - b.time_h,
            "co2_kg": a.co2_kg - b.co2_kg,
            "distance_km": a.distance_km - b.distance_km,
            "border_crossings": float(a.border_crossings - b.border_crossings),
        }
    net = router.network
    return Comparison(
        base,
        tuple(ranked),
        best_iran,
        avoiding,
        reason,
        delta,
        overall,
        overall_reason,
        tuple(c.id for c in corridors.values() if overall and follows(net, overall, c)),
        country_share(net, overall, IRAN) if overall else None,
        vot,
        factor,
    )


def _judge(
    r: CorridorResult, best: Route | None, base: RouteRequest, vot: float, factor: float
) -> CorridorResult:
    """Gap to the best route of all, and whether the corridor is within the detour factor."""
    if r.route is None or best is None:
        return r
    value = objective_value(r.route, base.objective, vot)
    best_value = objective_value(best, base.objective, vot)
    gap = {
        "objective": value - best_value,
        "cost_usd": r.route.summary.cost_usd - best.summary.cost_usd,
        "time_h": r.route.summary.time_h - best.summary.time_h,
        "risk_usd": r.route.summary.risk_usd - best.summary.risk_usd,
    }
    if best_value > 0 and value > factor * best_value:
        reason = (
            f"{value / best_value:.2f}x the best route's {base.objective} "
            f"(more than the detour factor {factor:g})"
        )
        return replace(r, status="not_competitive", reason=reason, gap=gap)
    return replace(r, gap=gap)
