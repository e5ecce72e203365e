"""Routes resource: best route (POST and a simple GET) and the Pareto frontier."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from api import jobs
from api.cache import ResponseCache
from api.compute import ComputeGate
from api.deps import CacheDep, GateDep, SettingsDep
from api.export import FormatQuery, chosen_format, export_responses
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
from corridors.alternatives import MAX_K
from corridors.request import RouteRequest, request_from_options

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


def _cached_route(cache: ResponseCache, gate: ComputeGate, req: RouteRequest) -> Response:
    def compute() -> bytes:
        return gate.run(jobs.best_route, req, "json").body

    return Response(cache.get_or_compute(("route", req), compute), media_type="application/json")


@router.post(
    "",
    response_model=RouteOut,
    responses={**ERRORS, **export_responses()},
    summary="Best route under rules",
)
def post_route(
    body: RouteBody,
    s: SettingsDep,
    cache: CacheDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    req = to_request(body, s)
    fmt = chosen_format(format, request)
    if fmt == "json":
        return _cached_route(cache, gate, req)
    return gate.run(jobs.best_route, req, fmt).response()


@router.get(
    "",
    response_model=RouteOut,
    responses=ERRORS,
    summary="Best route, simple case",
)
def get_route(
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
    return _cached_route(cache, gate, to_request(body, s))


@router.post(
    "/pareto",
    response_model=ParetoOut,
    responses=ERRORS,
    summary="Cost/time Pareto frontier, cheapest first",
)
def post_pareto(body: ParetoBody, s: SettingsDep, gate: GateDep) -> Response:
    req = to_request(body, s)
    return gate.run(jobs.pareto, req, body.include_co2, body.epsilon).response()


class AlternativesBody(RouteBody):
    objective: Objective = Field("generalized", description="What to rank by")
    k: Annotated[int, WholeNumber] = Field(5, ge=1, le=MAX_K, description="How many routes")
    max_factor: float = Field(1.5, ge=1, le=10, description="Within this x the best's objective")


def _alternatives(body: AlternativesBody, s: Settings, gate: ComputeGate, fmt: str) -> Response:
    req = to_request(body, s)
    return gate.run(jobs.distinct_routes, req, body.k, body.max_factor, fmt).response()


@router.post(
    "/alternatives",
    responses={**ERRORS, **export_responses()},
    summary="k meaningfully different routes (distinct crossings or sea links), best first",
)
def post_alternatives(
    body: AlternativesBody,
    s: SettingsDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    return _alternatives(body, s, gate, chosen_format(format, request))


@router.get("/alternatives", responses=ERRORS, summary="k distinct routes, simple case")
def get_alternatives(
    s: SettingsDep,
    gate: GateDep,
    origin: Annotated[str, Query(min_length=1, max_length=100)],
    destination: Annotated[str, Query(min_length=1, max_length=100)],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 5,
) -> Response:
    body = AlternativesBody(origin=origin, destination=destination, k=k)
    return _alternatives(body, s, gate, "json")
