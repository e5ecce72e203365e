"""Views of a corridor comparison and of a scenario run (baseline, scenario and their diff).

Every route summary is :func:`corridors.views.routes.summary_dict`; a full route is drawn by the
``route_view`` the caller passes (the CLI's plain route dict, or the API's with geometry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corridors.compare import Comparison, CorridorResult
from corridors.model import Route
from corridors.scenarios import QueryResult
from corridors.views.routes import route_dict, summary_dict

__all__ = ["comparison_dict", "scenario_result_dict"]

RouteView = Callable[[Route], dict[str, Any]]


def _summary(route: Route | None) -> dict[str, Any] | None:
    return summary_dict(route) if route is not None else None


def comparison_dict(cmp: Comparison, route_view: RouteView = route_dict) -> dict[str, Any]:
    """Every corridor's best route, ranked, and Iran against the alternatives."""

    def result(r: CorridorResult) -> dict[str, Any]:
        return {
            "corridor": r.corridor.id,
            "name": r.corridor.name,
            "through_iran": r.corridor.through_iran,
            "status": r.status,
            "summary": _summary(r.route),
            "gap_to_best": None if r.gap is None else {k: round(v, 2) for k, v in r.gap.items()},
            "iran_share": r.iran_share,
            "reason": r.reason,
            "route": route_view(r.route) if r.route else None,
        }

    through = cmp.best_through_iran
    return {
        "origin": cmp.request.origin,
        "destination": cmp.request.destination,
        "objective": cmp.request.objective,
        "cargo": cmp.request.cargo,
        "quantity": cmp.request.quantity,
        "value_of_time_usd_per_unit_h": cmp.value_of_time_usd_per_unit_h,
        "detour_factor": cmp.detour_factor,
        "best": _summary(cmp.best_overall),
        "best_reason": cmp.best_reason,
        "best_follows": list(cmp.best_follows),
        "best_iran_share": cmp.best_iran_share,
        "corridors": [result(r) for r in cmp.results],
        "iran": {
            "best_through_iran": through.corridor.id if through else None,
            "best_through_iran_summary": _summary(through.route) if through else None,
            "best_avoiding_iran_summary": _summary(cmp.best_avoiding_iran),
            "best_avoiding_iran_reason": cmp.avoiding_reason,
            "delta_through_minus_avoiding": cmp.delta,
        },
    }


def _side(cmp: Comparison) -> dict[str, Any]:
    through = cmp.best_through_iran
    return {
        "best": _summary(cmp.best_overall),
        "best_reason": cmp.best_reason,
        "best_corridor": _best_corridor(cmp),
        "best_through_iran": {"corridor": through.corridor.id, **(_summary(through.route) or {})}
        if through
        else None,
        "best_avoiding_iran": _summary(cmp.best_avoiding_iran),
        "corridors": {r.corridor.id: _summary(r.route) for r in cmp.results},
    }


def _best_corridor(cmp: Comparison) -> str | None:
    """The corridor the best route of all follows (the first, if several); ``direct`` when it
    follows none; without a best route, the best ranked corridor."""
    if cmp.best_follows:
        return cmp.best_follows[0]
    if cmp.best_overall is not None:
        return "direct"
    return next((r.corridor.id for r in cmp.results if r.status == "ranked"), None)


def _delta(a: dict[str, Any] | None, b: dict[str, Any] | None) -> dict[str, float] | None:
    if a is None or b is None:
        return None
    keys = ("cost_usd", "time_h", "co2_kg", "distance_km", "risk_usd", "total_usd")
    return {k: round(b[k] - a[k], 2) for k in keys}


def scenario_result_dict(r: QueryResult) -> dict[str, Any]:
    """Baseline, scenario and their differences (scenario minus baseline) for one query."""
    base, scen = _side(r.baseline), _side(r.scenario)
    return {
        "origin": r.query.origin,
        "destination": r.query.destination,
        "cargo": r.query.cargo,
        "objective": r.query.objective,
        "quantity": r.query.quantity,
        "risk_profile": r.query.risk_profile,
        "avoid_sanctioned": r.query.avoid_sanctioned,
        "baseline": base,
        "scenario": scen,
        "diff": {
            "best": _delta(base["best"], scen["best"]),
            "best_corridor_changed": base["best_corridor"] != scen["best_corridor"],
            "best_through_iran": _delta(base["best_through_iran"], scen["best_through_iran"]),
            "best_avoiding_iran": _delta(base["best_avoiding_iran"], scen["best_avoiding_iran"]),
            "corridors": {
                k: _delta(base["corridors"].get(k), scen["corridors"].get(k))
                for k in scen["corridors"]
            },
        },
    }
