"""Matrix resource: origin-destination skims."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api import jobs
from api.deps import GateDep, RouterDep
from api.export import FormatQuery, chosen_format, export_responses
from api.schemas import Cargo, Objective, Place, problem_responses
from corridors.request import RouteRequest

router = APIRouter(prefix="/matrix", tags=["matrix"])
ERRORS = problem_responses(404, 413, 422)
MAX_PLACES = 300


class MatrixBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    origins: list[Annotated[str, Place]] = Field(min_length=1, max_length=MAX_PLACES)
    destinations: list[Annotated[str, Place]] = Field(min_length=1, max_length=MAX_PLACES)
    objective: Objective = "generalized"
    cargo: Cargo = "container"
    corridors: bool = Field(False, description="Name the corridors each path follows (slower)")
    risk_profile: str = Field(
        "none", max_length=64, description="Price this shipper's risks (GET /v1/risk)"
    )


@router.post(
    "",
    responses={**ERRORS, **export_responses(geojson=False)},
    summary="Cost, time, km, CO2, borders and Iran share per pair",
)
def post_matrix(
    body: MatrixBody, r: RouterDep, gate: GateDep, request: Request, format: FormatQuery = None
) -> Response:
    base = RouteRequest(
        body.origins[0],
        body.destinations[0],
        objective=body.objective,
        cargo=body.cargo,
        time_limit_s=r.limits.max_time_limit_s,
        risk_profile=body.risk_profile,
    )
    fmt = chosen_format(format, request)
    return gate.run(
        jobs.matrix, body.origins, body.destinations, base, body.corridors, fmt
    ).response()
