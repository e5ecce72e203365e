"""The service's computations, one function per resource, run by :class:`api.compute.ComputeGate`
in a worker process.

Each takes the worker's router first, then picklable arguments (library requests, plain
values), and returns what the handler sends: a :class:`~api.export.Rendered` body, or a plain
dict the handler keeps in a cache.  Library errors raised here reach the handler unchanged.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from api.export import Rendered, as_json, render
from corridors.alternatives import alternatives
from corridors.charts import chart_footnote, tcd_chart
from corridors.compare import compare
from corridors.errors import CorridorsError, NoRouteError
from corridors.geojson import route_geojson
from corridors.matrix import od_matrix
from corridors.model import Route
from corridors.request import RouteRequest
from corridors.routing import Router
from corridors.scenarios import Scenario, run_scenario
from corridors.trade.assign import assign_logit, assign_lp
from corridors.trade.load import demands_from, load_trade
from corridors.uncertainty.evaluate import Evaluator, uncertainty_model
from corridors.uncertainty.montecarlo import run as run_montecarlo
from corridors.uncertainty.sensitivity import study
from corridors.views.comparison import comparison_dict, scenario_result_dict
from corridors.views.export import (
    alternatives_rows,
    comparison_rows,
    matrix_rows,
    route_rows,
    routes_geojson,
    scenario_rows,
)
from corridors.views.routes import alternative_dict, pareto_point_dict, route_dict
from corridors.views.trade import assignment_dict
from corridors.views.uncertainty import breakeven_dict, montecarlo_dict


def route_out(r: Router, route: Route) -> dict[str, Any]:
    """A route as the API writes it: the library's view, the network version, the geometry."""
    return {
        **route_dict(route),
        "network": r.network.version,
        "geometry": route_geojson(r.network, route),
    }


def warm_up(r: Router) -> None:
    """Render one route over a link (a sea link if there is one), so that what rendering reads
    once (the sea lanes' geometry) is read before the first request rather than during it
    (~0.4 s)."""
    links = sorted(r.network.links, key=lambda lk: lk.mode != "sea")
    if links:
        try:
            best_route(r, RouteRequest(links[0].from_id, links[0].to_id), "json")
        except CorridorsError:  # a closed link or a rule: nothing to warm, nothing wrong
            pass


def best_route(r: Router, req: RouteRequest, fmt: str) -> Rendered:
    found = r.route(req)
    return render(
        fmt,
        "a route",
        lambda: route_out(r, found),
        lambda: route_rows(route_dict(found)),
        lambda: route_geojson(r.network, found),
    )


def pareto(r: Router, req: RouteRequest, include_co2: bool, epsilon: float) -> Rendered:
    res = r.pareto(req, include_co2=include_co2, epsilon=epsilon)
    points = [pareto_point_dict(p, lambda route: route_out(r, route)) for p in res.points]
    return as_json({"criteria": list(res.criteria), "points": points, "solver": asdict(res.solver)})


def distinct_routes(r: Router, req: RouteRequest, k: int, max_factor: float, fmt: str) -> Rendered:
    found = alternatives(r, req, k=k, max_factor=max_factor)
    out = [alternative_dict(a, lambda route: route_out(r, route)) for a in found]
    return render(
        fmt,
        "alternatives",
        lambda: {"network": r.network.version, "alternatives": out},
        lambda: alternatives_rows(out),
        lambda: routes_geojson(
            r.network, [(f"alternative {i}", a.route) for i, a in enumerate(found, 1)]
        ),
    )


def comparison(r: Router, req: RouteRequest, corridors: list[str] | None, fmt: str) -> Rendered:
    cmp = compare(r, req, corridors)
    view = comparison_dict(cmp, lambda route: route_out(r, route))
    return render(
        fmt,
        "a comparison",
        lambda: {**view, "network": r.network.version},
        lambda: comparison_rows(view),
        lambda: routes_geojson(
            r.network, [(x.corridor.id, x.route) for x in cmp.results if x.route]
        ),
    )


def comparison_chart(
    r: Router, req: RouteRequest, corridors: list[str] | None, image: str, routes: int
) -> Rendered:
    cmp = compare(r, req, corridors)
    drawn = [(x.corridor.name, x.route) for x in cmp.results if x.route][:routes]
    if not drawn:
        raise NoRouteError("no corridor has a route between these places")
    names = {loc.id: loc.name for loc in r.network.locations.values()}
    note = chart_footnote(r.network.version, drawn[0][1], cmp.value_of_time_usd_per_unit_h)
    media = "image/png" if image == "png" else "image/svg+xml"
    return Rendered(tcd_chart(drawn, image, names=names, footnote=note), media)


def matrix(
    r: Router,
    origins: list[str],
    destinations: list[str],
    base: RouteRequest,
    with_corridors: bool,
    fmt: str,
) -> Rendered:
    cells = od_matrix(r, origins, destinations, base, with_corridors=with_corridors)
    return render(
        fmt,
        "a matrix",
        lambda: {"network": r.network.version, "cells": matrix_rows(cells)},
        lambda: matrix_rows(cells),
    )


def scenario(r: Router, sc: Scenario, fmt: str) -> Rendered:
    results = [scenario_result_dict(x) for x in run_scenario(r, sc)]
    return render(
        fmt,
        "a scenario run",
        lambda: {
            "network": r.network.version,
            "scenario": sc.id,
            "name": sc.name,
            "description": sc.description,
            "targets": list(sc.targets),
            "results": results,
        },
        lambda: scenario_rows(results),
    )


def assignment(r: Router, method: str, capacitated: bool, risk_profile: str) -> dict[str, Any]:
    data = load_trade(r.network)
    demands = demands_from(data)
    solve = assign_lp if method == "lp" else assign_logit
    caps = data.capacities if capacitated else ()
    result = solve(r, demands, caps, risk_profile=risk_profile)
    return assignment_dict(r, demands, result)


def _evaluator(r: Router, req: RouteRequest, corridors: list[str] | None) -> Evaluator:
    return Evaluator(r, req, uncertainty_model(r), tuple(corridors or ()))


def montecarlo(
    r: Router,
    req: RouteRequest,
    corridors: list[str] | None,
    draws: int,
    seed: int,
    spread: float,
    max_draws: int,
) -> Rendered:
    ev = _evaluator(r, req, corridors)
    model = uncertainty_model(r).with_spread(spread)
    res = run_montecarlo(ev, model, draws=draws, seed=seed, spread=spread, max_draws=max_draws)
    return as_json(montecarlo_dict(res, r.network.version))


def breakeven(
    r: Router,
    req: RouteRequest,
    corridors: list[str] | None,
    pair: tuple[str, str],
    parameter: str | None,
    low: float | None,
    high: float | None,
    tolerance: float,
) -> Rendered:
    ev = _evaluator(r, req, corridors)
    found, bars = study(
        ev, uncertainty_model(r), pair, parameter, low=low, high=high, tolerance=tolerance
    )
    return as_json(breakeven_dict(found, bars, req.objective, r.network.version))
