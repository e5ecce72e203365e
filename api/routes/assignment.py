"""Assignment resource: the region's trade on the network, with capacities."""

from __future__ import annotations

import threading
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api import jobs
from api.deps import GateDep, RouterDep
from api.schemas import problem_responses

router = APIRouter(prefix="/assignment", tags=["assignment"])
ERRORS = problem_responses(404, 422)


class AssignmentBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    method: Literal["lp", "logit"] = Field("lp", description="System optimum (LP) or logit")
    capacitated: bool = Field(True, description="Enforce the capacities of trade/capacities.csv")
    risk_profile: str = Field(
        "none", max_length=64, description="Price this shipper's risks (GET /v1/risk)"
    )


@router.post("", responses=ERRORS, summary="Assign the bundled trade matrix to the network")
def post_assignment(body: AssignmentBody, r: RouterDep, gate: GateDep) -> JSONResponse:
    """Flows per crossing, port and corridor; utilisation and shadow prices of capacities;
    Iran's share of the five states' trade as a partner and as a transit country.  The answer
    depends only on the body and the network, so it is computed once and kept."""
    key = (r.network.version, body.method, body.capacitated, body.risk_profile)
    view = _CACHE.get(key)
    if view is None:
        view = gate.run(jobs.assignment, body.method, body.capacitated, body.risk_profile)
        with _LOCK:
            _CACHE[key] = view
    return JSONResponse(view)


# one entry per method, capacities and known profile of a network (an unknown profile fails)
_CACHE: dict[tuple[str, str, bool, str], dict[str, Any]] = {}
_LOCK = threading.Lock()
