"""k meaningfully different routes: they differ in the border crossings or sea links they use.

A route's *key elements* are its border crossings and its sea links; two routes with the same
set of key elements are the same alternative (a detour around one town is not a new one).  The
search is Yen-like on key elements: from each accepted route, one candidate per key element is
the best route that also avoids that element (on top of the exclusions that produced the
route); candidates enter in order of the request's objective, each accepted when its set of key
elements is new and its objective is within ``max_factor`` of the best.  Every candidate is a
full :meth:`Router.route` answer, so every rule of the request (via points, gates, budgets,
simple paths) holds for every alternative.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace

from corridors.deadline import check_deadline
from corridors.errors import NoRouteError, RequestError, SolverError
from corridors.model import Route
from corridors.request import RouteRequest, objective_value
from corridors.routing import Router

__all__ = ["MAX_K", "Alternative", "alternatives"]

MAX_K = 10
DEFAULT_MAX_FACTOR = 1.5
MAX_CANDIDATES = 60  # route queries one request may spend


@dataclass(frozen=True)
class Alternative:
    """One route and what it trades against the best (whole shipment)."""

    route: Route
    key_elements: tuple[str, ...]  # border crossing and sea link ids, in travel order
    delta_cost_usd: float
    delta_time_h: float
    avoids_countries: tuple[str, ...]  # countries of the best route this one avoids
    adds_countries: tuple[str, ...]  # countries this one crosses that the best does not
    avoided: tuple[str, ...]  # the key elements excluded to find it


def _key_elements(router: Router, route: Route) -> tuple[str, ...]:
    net = router.network
    border_ids = {b.id for b in net.borders}
    out = []
    for leg in route.legs:
        if leg.link_id in border_ids or leg.mode == "sea":
            out.append(leg.link_id)
    for e in route.events:  # crossings of 0 km have no leg: their border event names them
        if e.kind == "border":
            ref = e.detail.split(":", 1)[0]
            if ref in border_ids and ref not in out:
                out.append(ref)
    return tuple(out)


def alternatives(
    router: Router, req: RouteRequest, *, k: int = 5, max_factor: float = DEFAULT_MAX_FACTOR
) -> list[Alternative]:
    """Up to ``k`` distinct routes for ``req``, best first (the first is the best route).

    Raises
    ------
    RequestError
        ``k`` outside 1..MAX_K, or ``max_factor`` below 1.
    NoRouteError
        No route at all (as :meth:`Router.route`).
    """
    if not 1 <= k <= MAX_K:
        raise RequestError(f"k must be between 1 and {MAX_K}")
    if not 1.0 <= max_factor <= 10.0:
        raise RequestError("max_factor must be between 1 and 10")
    vot = router.value_of_time(req)
    best = router.route(req)
    best_value = objective_value(best, req.objective, vot)
    accepted: list[tuple[Route, tuple[str, ...], tuple[str, ...]]] = []
    seen_keys: set[frozenset[str]] = set()
    tried: set[frozenset[str]] = set()
    queue: list[tuple[float, int, Route, tuple[str, ...]]] = [(best_value, 0, best, ())]
    counter, spent = 1, 0
    while queue and len(accepted) < k:
        check_deadline()
        value, _, route, avoided = heapq.heappop(queue)
        keys = _key_elements(router, route)
        if frozenset(keys) in seen_keys or value > max_factor * best_value + 1e-9:
            continue
        seen_keys.add(frozenset(keys))
        accepted.append((route, keys, avoided))
        for element in keys:
            excluded = frozenset((*avoided, element))
            if excluded in tried or spent >= MAX_CANDIDATES:
                continue
            tried.add(excluded)
            spent += 1
            candidate = replace(
                req, exclude_links=tuple(dict.fromkeys((*req.exclude_links, *sorted(excluded))))
            )
            try:
                alt = router.route(candidate)
            except (NoRouteError, SolverError):
                continue
            except RequestError:
                continue
            heapq.heappush(
                queue,
                (objective_value(alt, req.objective, vot), counter, alt, tuple(sorted(excluded))),
            )
            counter += 1
    base_countries = set(best.summary.countries)
    return [
        Alternative(
            route=r,
            key_elements=keys,
            delta_cost_usd=r.summary.cost_usd - best.summary.cost_usd,
            delta_time_h=r.summary.time_h - best.summary.time_h,
            avoids_countries=tuple(
                c for c in best.summary.countries if c not in r.summary.countries
            ),
            adds_countries=tuple(c for c in r.summary.countries if c not in base_countries),
            avoided=avoided,
        )
        for r, keys, avoided in accepted
    ]


def trade_off(a: Alternative) -> str:
    """What an alternative trades against the best, in words ("+1.8 days, -420 USD, avoids IR")."""
    if not a.avoided and a.delta_cost_usd == 0 and a.delta_time_h == 0:
        return "the best route"
    parts = [f"{a.delta_time_h / 24:+.1f} days", f"{a.delta_cost_usd:+,.0f} USD"]
    if a.avoids_countries:
        parts.append("avoids " + ", ".join(a.avoids_countries))
    if a.adds_countries:
        parts.append("via " + ", ".join(a.adds_countries))
    return ", ".join(parts)
