"""Which rule made a query infeasible, and the best route without it.

A hard rule is never relaxed silently: when no route meets a request, :func:`diagnose` drops
the rules one at a time to find the culprit(s) and returns the error the router raises
(:class:`~corridors.errors.InfeasibleError` naming the rules and the best route without them,
or :class:`~corridors.errors.NoRouteError` when the places are not joined at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from corridors.errors import InfeasibleError, NoRouteError
from corridors.model import Route, RouteSummary
from corridors.request import RouteRequest

__all__ = ["RULES", "best_without", "diagnose", "drop_rules"]

# every hard rule of a request, and how to tell whether a request uses it
RULES: tuple[tuple[str, Callable[[RouteRequest], bool]], ...] = (
    ("exclude_countries", lambda r: bool(r.exclude_countries)),
    ("exclude_locations", lambda r: bool(r.exclude_locations)),
    ("exclude_links", lambda r: bool(r.exclude_links)),
    ("modes", lambda r: r.modes is not None),
    ("via", lambda r: bool(r.via)),
    ("one_of", lambda r: bool(r.one_of)),
    ("gates", lambda r: bool(r.gates)),
    ("exclude_passages", lambda r: bool(r.exclude_passages)),
    ("exclude_basins", lambda r: bool(r.exclude_basins)),
    ("max_hours", lambda r: r.max_hours is not None),
    ("max_cost_usd", lambda r: r.max_cost_usd is not None),
    ("max_borders", lambda r: r.max_borders is not None),
    ("simple_path", lambda r: r.simple_path),
    ("avoid_sanctioned", lambda r: r.avoid_sanctioned),
    ("require_transit_regime", lambda r: r.require_transit_regime),
    ("max_risk_score", lambda r: r.max_risk_score is not None),
    ("avoid_areas", lambda r: bool(r.avoid_areas)),
)
_EMPTY = RouteRequest(origin="", destination="")


_DROPPED = {"simple_path": False}


def best_without(s: RouteSummary) -> dict[str, Any]:
    """The summary an :class:`InfeasibleError` carries of the best route without the rules."""
    return {
        "cost_usd": s.cost_usd,
        "time_h": s.time_h,
        "distance_km": s.distance_km,
        "border_crossings": s.border_crossings,
        "countries": list(s.countries),
    }


def drop_rules(req: RouteRequest, rules: Sequence[str]) -> RouteRequest:
    """``req`` without the named rules (and with the automatic solver)."""
    values = {name: _DROPPED.get(name, getattr(_EMPTY, name)) for name in rules}
    return replace(req, **values, solver="auto")


def diagnose(
    req: RouteRequest,
    *,
    feasible: Callable[[RouteRequest], bool],
    route: Callable[[RouteRequest], Route],
) -> NoRouteError:
    """The error for an infeasible ``req``.

    Parameters
    ----------
    req
        The request no route meets.
    feasible
        Whether some route meets a request (a cheap solve, no explanation).
    route
        The explained best route of a feasible request.
    """
    if not feasible(drop_rules(req, [n for n, _ in RULES])):
        return NoRouteError(
            f"no route joins {req.origin} and {req.destination} on the network"
            + ("" if req.year else " (operational lines only; try a later --year)")
        )
    if req.simple_path and feasible(drop_rules(req, ["simple_path"])):
        return InfeasibleError(
            ["simple_path"],
            f"no route from {req.origin} to {req.destination} meets the rules without "
            "visiting a place twice",
            None,
        )
    # a simple path is the default: it is named only when it alone is the cause (above)
    present = [n for n, uses in RULES if uses(req) and n != "simple_path"]
    alone = [n for n in present if not feasible(drop_rules(req, [m for m in present if m != n]))]
    culprits = alone or present
    best: dict[str, Any] | None = None
    relaxed = drop_rules(req, culprits)
    if feasible(relaxed):
        best = best_without(route(relaxed).summary)
    which = " and ".join(culprits) if alone else "the combination of " + ", ".join(culprits)
    detail = f"no route from {req.origin} to {req.destination} meets {which}"
    if best is not None:
        detail += (
            f"; without it the best route costs {best['cost_usd']:,.0f} USD and takes "
            f"{best['time_h']:,.1f} h"
        )
    return InfeasibleError(culprits, detail, best)
