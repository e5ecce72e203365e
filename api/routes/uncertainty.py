"""Uncertainty resource: Monte Carlo over the corridors of a shipment, break-even points.

The service evaluates the draws in one compute worker (a request holds one compute slot); the
CLI (``corridors uncertainty``) runs larger jobs on a Dask cluster.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from api import jobs
from api.deps import GateDep, SettingsDep
from api.routes.corridors import CompareBody
from api.routes.routes import to_request
from api.schemas import WholeNumber, problem_responses

router = APIRouter(prefix="/uncertainty", tags=["uncertainty"])
ERRORS = problem_responses(404, 413, 422)
MAX_HTTP_DRAWS = 2000  # the CLI takes up to 20,000, on a Dask cluster
CorridorId = Annotated[str, Field(min_length=1, max_length=64)]


class _UncertainBody(CompareBody):
    """A comparison's body without budgets (not drawn) and with the objectives that move."""

    objective: Literal["cost", "time", "generalized"] = Field(
        "generalized", description="What decides the best corridor in each draw"
    )
    max_hours: SkipJsonSchema[None] = None
    max_cost_usd: SkipJsonSchema[None] = None
    max_borders: SkipJsonSchema[None] = None


class UncertaintyBody(_UncertainBody):
    draws: Annotated[int, WholeNumber] = Field(
        1000, ge=1, le=MAX_HTTP_DRAWS, description="Monte Carlo draws"
    )
    seed: Annotated[int, WholeNumber] = Field(
        0, ge=0, le=2**32 - 1, description="Random seed: same seed, same answer"
    )
    spread: float = Field(
        1.0, ge=0, le=10, allow_inf_nan=False, description="Scale of every spread (0: none)"
    )


class BreakEvenBody(_UncertainBody):
    between: list[CorridorId] = Field(
        min_length=2, max_length=2, description="Two corridor ids; the gap is first minus second"
    )
    parameter: str | None = Field(
        None, max_length=64, description="A factor (e.g. border_dwell:IR) or value_of_time"
    )
    low: float | None = Field(None, ge=0, allow_inf_nan=False)
    high: float | None = Field(None, gt=0, allow_inf_nan=False)
    tolerance: float = Field(1e-3, gt=0, lt=1, description="Share of the searched range")


@router.post("", responses=ERRORS, summary="P10/P50/P90 per corridor and the chance each wins")
def post_uncertainty(body: UncertaintyBody, s: SettingsDep, gate: GateDep) -> Response:
    req = to_request(body, s)
    return gate.run(
        jobs.montecarlo,
        req,
        body.corridors,
        body.draws,
        body.seed,
        body.spread,
        MAX_HTTP_DRAWS,
    ).response()


@router.post(
    "/breakeven",
    responses=ERRORS,
    summary="Where two corridors swap ranks, and which inputs move their gap most",
)
def post_breakeven(body: BreakEvenBody, s: SettingsDep, gate: GateDep) -> Response:
    req = to_request(body, s)
    pair = (body.between[0], body.between[1])
    return gate.run(
        jobs.breakeven,
        req,
        body.corridors,
        pair,
        body.parameter,
        body.low,
        body.high,
        body.tolerance,
    ).response()
