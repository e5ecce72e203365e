"""Matrix resource: origin-destination skims."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import GateDep, RouterDep
from api.schemas import Cargo, Objective, Place, problem_responses
from corridors.matrix import od_matrix
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


@router.post("", responses=ERRORS, summary="Cost, time, km, CO2, borders and Iran share per pair")
def post_matrix(body: MatrixBody, r: RouterDep, gate: GateDep) -> JSONResponse:
    base = RouteRequest(
        body.origins[0],
        body.destinations[0],
        objective=body.objective,
        cargo=body.cargo,
        time_limit_s=r.limits.max_time_limit_s,
    )
    with gate.slot():
        cells = od_matrix(r, body.origins, body.destinations, base, with_corridors=body.corridors)
    rows = [
        {
            "origin": c.origin,
            "destination": c.destination,
            "reachable": c.reachable,
            "objective": c.objective if c.reachable else None,
            "cost_usd": round(c.cost_usd, 2),
            "time_h": round(c.time_h, 2),
            "distance_km": round(c.distance_km, 1),
            "co2_kg": round(c.co2_kg, 1),
            "border_crossings": c.border_crossings,
            "iran_share_km": round(c.iran_share_km, 4),
            "corridors": list(c.corridors),
        }
        for c in cells
    ]
    return JSONResponse({"network": r.network.version, "cells": rows})
