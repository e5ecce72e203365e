"""Corridors resource: definitions, comparison of an origin and destination, TCD chart."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from api import jobs
from api.deps import GateDep, RouterDep, SettingsDep
from api.export import FormatQuery, chosen_format, export_responses
from api.routes.routes import to_request
from api.schemas import CompareOut, CorridorOut, Objective, RouteBody, problem_responses

router = APIRouter(prefix="/corridors", tags=["corridors"])
ERRORS = problem_responses(404, 409, 413, 422)


class CompareBody(RouteBody):
    objective: Objective = Field(
        "generalized",
        description="What to rank by; default: cost + the cargo's value of time x time",
    )
    corridors: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        None, min_length=1, max_length=50, description="Corridor ids to compare (default: all)"
    )


@router.get("", response_model=list[CorridorOut], summary="The named corridors and their rules")
def corridors(r: RouterDep) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "gates": [list(g) for g in c.gates],
            "exclude_countries": list(c.exclude_countries),
            "exclude_basins": list(c.exclude_basins),
            "modes": list(c.modes) if c.modes is not None else None,
            "through_iran": c.through_iran,
            "sources": list(c.sources),
            "markets": [[sorted(a), sorted(b)] for a, b in c.markets],
        }
        for c in r.network.corridors.values()
    ]


@router.post(
    "/compare",
    response_model=CompareOut,
    responses={**ERRORS, **export_responses()},
    summary="Each corridor's best route, ranked, and Iran against the alternatives",
)
def post_compare(
    body: CompareBody,
    s: SettingsDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    fmt = chosen_format(format, request)
    return gate.run(jobs.comparison, to_request(body, s), body.corridors, fmt).response()


@router.post(
    "/compare/chart",
    responses={
        **ERRORS,
        200: {
            "content": {"image/png": {}, "image/svg+xml": {}},
            "description": "UNESCAP time/cost-distance chart of the best corridors",
        },
    },
    response_class=Response,
    summary="Time/cost-distance chart of the compared corridors",
)
def post_compare_chart(
    body: CompareBody,
    s: SettingsDep,
    gate: GateDep,
    format: Annotated[Literal["png", "svg"], Query(description="Image format")] = "png",
    routes: Annotated[int, Query(ge=1, le=11, description="How many corridors to draw")] = 4,
) -> Response:
    req = to_request(body, s)
    return gate.run(jobs.comparison_chart, req, body.corridors, format, routes).response()
