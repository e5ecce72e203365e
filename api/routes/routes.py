"""Routes resource: best route (POST and a simple GET) and the Pareto frontier."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from api.cache import ResponseCache
from api.compute import ComputeGate
from api.deps import CacheDep, GateDep, RouterDep, SettingsDep
from api.export import FormatQuery, chosen_format, export_responses, rendered
from api.schemas import (
    Cargo,
    Objective,
    ParetoBody,
    ParetoOut,
    RouteBody,
    RouteOut,
    WholeNumber,
    problem_responses,
)
from api.settings import Settings
from corridors.alternatives import MAX_K, Alternative, alternatives
from corridors.geojson import route_geojson
from corridors.model import Route
from corridors.request import RouteRequest, request_from_options
from corridors.routing import Router
from corridors.views.export import alternatives_rows, route_rows, routes_geojson
from corridors.views.routes import alternative_dict, pareto_point_dict, route_dict

router = APIRouter(prefix="/routes", tags=["routes"])

ERRORS = problem_responses(404, 409, 413, 422)


ROUTE_FIELDS = set(RouteBody.model_fields) - {"include_co2", "epsilon"}


def to_request(body: RouteBody, s: Settings) -> RouteRequest:
    """The body as a library request (one conversion, shared with the CLI); the router checks
    it against the service's limits."""
    # only the route fields: a resource's own fields (k, draws, ...) are not request options
    options = body.model_dump(include=ROUTE_FIELDS)
    # a longer limit than the service allows is cut to the service's limit (not refused)
    options["time_limit_s"] = min(body.time_limit_s or s.solver_time_limit_s, s.solver_time_limit_s)
    return request_from_options(options)


def route_out(r: Router, route: Route) -> dict[str, Any]:
    return {
        **route_dict(route),
        "network": r.network.version,
        "geometry": route_geojson(r.network, route),
    }


def _json(body: dict[str, Any]) -> JSONResponse:
    """Serialise directly: the body is built from typed library objects, so re-validating it
    against the response model on every request would only cost time.  The model still
    documents the contract, and the Schemathesis test checks responses against it."""
    return JSONResponse(body)


def _cached_route(
    r: Router, cache: ResponseCache, gate: ComputeGate, req: RouteRequest
) -> Response:
    def compute() -> bytes:
        with gate.slot():
            return bytes(_json(route_out(r, r.route(req))).body)

    body = cache.get_or_compute(("route", req), compute)
    return Response(body, media_type="application/json")


@router.post(
    "",
    response_model=RouteOut,
    responses={**ERRORS, **export_responses()},
    summary="Best route under rules",
)
def post_route(
    body: RouteBody,
    r: RouterDep,
    s: SettingsDep,
    cache: CacheDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    req = to_request(body, s)
    fmt = chosen_format(format, request)
    if fmt == "json":
        return _cached_route(r, cache, gate, req)
    with gate.slot():
        route = r.route(req)
    return rendered(
        fmt,
        "a route",
        lambda: route_out(r, route),
        lambda: route_rows(route_dict(route)),
        lambda: route_geojson(r.network, route),
    )


@router.get(
    "",
    response_model=RouteOut,
    responses=ERRORS,
    summary="Best route, simple case",
)
def get_route(
    r: RouterDep,
    s: SettingsDep,
    cache: CacheDep,
    gate: GateDep,
    origin: Annotated[str, Query(min_length=1, max_length=100, examples=["Tashkent"])],
    destination: Annotated[str, Query(min_length=1, max_length=100, examples=["Bandar Abbas"])],
    objective: Objective = "cost",
    cargo: Cargo = "container",
    quantity: Annotated[float, Query(gt=0, le=1e6)] = 1.0,
) -> Response:
    body = RouteBody(
        origin=origin, destination=destination, objective=objective, cargo=cargo, quantity=quantity
    )
    return _cached_route(r, cache, gate, to_request(body, s))


@router.post(
    "/pareto",
    response_model=ParetoOut,
    responses=ERRORS,
    summary="Cost/time Pareto frontier, cheapest first",
)
def post_pareto(body: ParetoBody, r: RouterDep, s: SettingsDep, gate: GateDep) -> JSONResponse:
    with gate.slot():
        res = r.pareto(to_request(body, s), include_co2=body.include_co2, epsilon=body.epsilon)
        points = [pareto_point_dict(p, lambda route: route_out(r, route)) for p in res.points]
    return _json({"criteria": list(res.criteria), "points": points, "solver": asdict(res.solver)})


class AlternativesBody(RouteBody):
    objective: Objective = Field("generalized", description="What to rank by")
    k: Annotated[int, WholeNumber] = Field(5, ge=1, le=MAX_K, description="How many routes")
    max_factor: float = Field(1.5, ge=1, le=10, description="Within this x the best's objective")


def _alternatives(
    body: AlternativesBody, r: Router, s: Settings, gate: ComputeGate
) -> tuple[list[Alternative], list[dict[str, Any]]]:
    req = to_request(body, s)
    with gate.slot():
        found = alternatives(r, req, k=body.k, max_factor=body.max_factor)
        return found, [alternative_dict(a, lambda route: route_out(r, route)) for a in found]


@router.post(
    "/alternatives",
    responses={**ERRORS, **export_responses()},
    summary="k meaningfully different routes (distinct crossings or sea links), best first",
)
def post_alternatives(
    body: AlternativesBody,
    r: RouterDep,
    s: SettingsDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    found, out = _alternatives(body, r, s, gate)
    return rendered(
        chosen_format(format, request),
        "alternatives",
        lambda: {"network": r.network.version, "alternatives": out},
        lambda: alternatives_rows(out),
        lambda: routes_geojson(
            r.network, [(f"alternative {i}", a.route) for i, a in enumerate(found, 1)]
        ),
    )


@router.get("/alternatives", responses=ERRORS, summary="k distinct routes, simple case")
def get_alternatives(
    r: RouterDep,
    s: SettingsDep,
    gate: GateDep,
    origin: Annotated[str, Query(min_length=1, max_length=100)],
    destination: Annotated[str, Query(min_length=1, max_length=100)],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 5,
) -> JSONResponse:
    body = AlternativesBody(origin=origin, destination=destination, k=k)
    _, out = _alternatives(body, r, s, gate)
    return _json({"network": r.network.version, "alternatives": out})
