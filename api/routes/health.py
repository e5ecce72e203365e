from __future__ import annotations

from fastapi import APIRouter

from api.deps import RouterDep
from api.schemas import Health
from corridors import __version__

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness and versions")
async def health(r: RouterDep) -> Health:
    return Health(status="ok", version=__version__, network_version=r.network.version)
