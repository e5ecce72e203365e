"""Risk and policy data: shipper profiles, premiums, sanctions regimes, memberships, security."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import RouterDep
from corridors.views.risk import risk_dict

router = APIRouter(prefix="/risk", tags=["risk"])


@router.get(
    "",
    summary="Shipper profiles (for risk_profile), premiums, sanctions regimes, memberships and "
    "security scores, each with its sources and date",
)
def risk(r: RouterDep) -> dict[str, Any]:
    return risk_dict(r.network)
