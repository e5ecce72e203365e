from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import GateDep, RouterDep
from api.schemas import Health, Ready
from corridors import __version__

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness and versions")
async def health(r: RouterDep) -> Health:
    """Answers in milliseconds whatever the load: it does no solver work."""
    return Health(status="ok", version=__version__, network_version=r.network.version)


@router.get(
    "/ready",
    response_model=Ready,
    responses={503: {"description": "busy: every compute slot taken and the queue full"}},
    summary="Readiness: the network is loaded and there is room for work",
)
async def ready(r: RouterDep, gate: GateDep) -> JSONResponse:
    running, waiting = gate.busy
    room = waiting < gate.max_queue
    body = Ready(
        status="ready" if room else "busy",
        network_version=r.network.version,
        running=running,
        waiting=waiting,
        workers=gate.workers,
        queue=gate.max_queue,
    )
    headers = {} if room else {"Retry-After": "1"}
    return JSONResponse(body.model_dump(), status_code=200 if room else 503, headers=headers)
