"""Routes resource: best route (POST and a simple GET) and the Pareto frontier."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.cache import ResponseCache
from api.deps import CacheDep, RouterDep, SettingsDep
from api.schemas import (
    Cargo,
    Objective,
    ParetoBody,
    ParetoOut,
    RouteBody,
    RouteOut,
    problem_responses,
)
from api.settings import Settings
from corridors.errors import RequestError
from corridors.geojson import route_geojson
from corridors.model import Route
from corridors.report import pareto_point_dict, route_dict
from corridors.routing import Router, RouteRequest, Via

router = APIRouter(prefix="/routes", tags=["routes"])

ERRORS = problem_responses(404, 409, 413, 422)


def _check_limits(body: RouteBody, s: Settings) -> None:
    limits = [("via", len(body.via), s.max_via), ("one_of", len(body.one_of), s.max_one_of)]
    limits += [
        (name, len(getattr(body, name)), s.max_exclusions)
        for name in ("exclude_countries", "exclude_locations", "exclude_links")
    ]
    for name, n, cap in limits:
        if n > cap:
            raise RequestError(f"{name} has {n} entries; the limit is {cap}", kind="too-big")
    if body.time_limit_s is not None and body.time_limit_s > s.solver_time_limit_s:
        raise RequestError(
            f"time_limit_s {body.time_limit_s:g} exceeds the server limit "
            f"{s.solver_time_limit_s:g} s",
            kind="too-big",
        )


def to_request(body: RouteBody, s: Settings) -> RouteRequest:
    _check_limits(body, s)
    return RouteRequest(
        origin=body.origin,
        destination=body.destination,
        objective=body.objective,
        cargo=body.cargo,
        quantity=body.quantity,
        value_of_time_usd_per_unit_h=body.value_of_time_usd_per_unit_h,
        modes=tuple(body.modes) if body.modes is not None else None,
        exclude_countries=tuple(body.exclude_countries),
        exclude_locations=tuple(body.exclude_locations),
        exclude_links=tuple(body.exclude_links),
        year=body.year,
        via=tuple(Via(v.location, v.dwell_h) for v in body.via),
        one_of=tuple(body.one_of),
        max_hours=body.max_hours,
        max_cost_usd=body.max_cost_usd,
        max_borders=body.max_borders,
        solver=body.solver,
        time_limit_s=body.time_limit_s or s.solver_time_limit_s,
    )


def route_out(r: Router, route: Route) -> dict[str, Any]:
    return {**route_dict(route), "geometry": route_geojson(r.network, route)}


def _json(body: dict[str, Any]) -> JSONResponse:
    """Serialise directly: the body is built from typed library objects, so re-validating it
    against the response model on every request would only cost time.  The model still
    documents the contract, and the Schemathesis test checks responses against it."""
    return JSONResponse(body)


def _cached_route(r: Router, cache: ResponseCache, req: RouteRequest) -> Response:
    body = cache.get_or_compute(
        ("route", req), lambda: bytes(_json(route_out(r, r.route(req))).body)
    )
    return Response(body, media_type="application/json")


@router.post("", response_model=RouteOut, responses=ERRORS, summary="Best route under rules")
def post_route(body: RouteBody, r: RouterDep, s: SettingsDep, cache: CacheDep) -> Response:
    return _cached_route(r, cache, to_request(body, s))


@router.get("", response_model=RouteOut, responses=ERRORS, summary="Best route, simple case")
def get_route(
    r: RouterDep,
    s: SettingsDep,
    cache: CacheDep,
    origin: Annotated[str, Query(min_length=1, max_length=100, examples=["Tashkent"])],
    destination: Annotated[str, Query(min_length=1, max_length=100, examples=["Bandar Abbas"])],
    objective: Objective = "cost",
    cargo: Cargo = "container",
    quantity: Annotated[float, Query(gt=0, le=1e6)] = 1.0,
) -> Response:
    body = RouteBody(
        origin=origin, destination=destination, objective=objective, cargo=cargo, quantity=quantity
    )
    return _cached_route(r, cache, to_request(body, s))


@router.post(
    "/pareto",
    response_model=ParetoOut,
    responses=ERRORS,
    summary="Cost/time Pareto frontier, cheapest first",
)
def post_pareto(body: ParetoBody, r: RouterDep, s: SettingsDep) -> JSONResponse:
    res = r.pareto(to_request(body, s), include_co2=body.include_co2, epsilon=body.epsilon)
    points = [pareto_point_dict(p, lambda route: route_out(r, route)) for p in res.points]
    return _json({"criteria": list(res.criteria), "points": points, "solver": res.solver})
