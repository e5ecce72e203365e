"""Domain errors -> RFC 9457 problem details (``application/problem+json``), in one place.

Stable ``type`` values (relative URIs under ``/problems/``): location-not-found (404, with
``suggestions``), corridor-not-found and parameter-not-found (404), no-route (404), no-route-under-constraints (422, with ``rules`` and
``best_without``), constraint-conflict (409), invalid-request and validation-error (422),
too-big (413), solver-failed (422 when a solver stops at its limit; 500 otherwise),
deadline-exceeded (504: the request's deadline passed), busy (503 with Retry-After: every
worker taken and the queue full), worker-failed (503 with Retry-After: a compute process died
and was replaced), internal-error (500).  A 500 is a bug of ours.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.compute import Overloaded, WorkerFailed
from corridors.errors import (
    DataValidationError,
    InfeasibleError,
    NoRouteError,
    RequestError,
    ScenarioError,
    SolverError,
    UnknownLocationError,
)

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem(
    status: int, type_: str, title: str, detail: str, request: Request, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"/problems/{type_}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": str(request.url.path),
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


_REQUEST_KINDS = {
    "corridor-not-found": (404, "Corridor not found"),
    "parameter-not-found": (404, "Parameter not found"),
    "profile-not-found": (404, "Risk profile not found"),
    "constraint-conflict": (409, "Constraint conflict"),
    "too-big": (413, "Request too big"),
    "invalid-request": (422, "Invalid request"),
}


async def _unknown_location(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownLocationError)
    return problem(
        404,
        "location-not-found",
        "Location not found",
        str(exc),
        request,
        query=exc.query,
        suggestions=exc.suggestions,
        ambiguous=exc.ambiguous,
    )


async def _request_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestError)
    status, title = _REQUEST_KINDS.get(exc.kind, (422, "Invalid request"))
    return problem(status, exc.kind, title, str(exc), request)


async def _infeasible(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InfeasibleError)
    return problem(
        422,
        "no-route-under-constraints",
        "No route under the constraints",
        str(exc),
        request,
        rules=exc.rules,
        best_without=exc.best_without,
    )


async def _scenario(request: Request, exc: Exception) -> JSONResponse:
    return problem(422, "invalid-scenario", "Invalid scenario", str(exc), request)


async def _no_route(request: Request, exc: Exception) -> JSONResponse:
    return problem(404, "no-route", "No route", str(exc), request)


async def _solver(request: Request, exc: Exception) -> JSONResponse:
    """A solver that stops without a route: its limit (422), the request's deadline (504), or
    a failure of ours (500)."""
    assert isinstance(exc, SolverError)
    if exc.status == "deadline":
        return problem(
            504,
            "deadline-exceeded",
            "Request deadline exceeded",
            str(exc),
            request,
            solver_status=exc.status,
        )
    status = 422 if exc.status in LIMIT_STATUSES else 500
    if status == 500:
        log.error("solver failed: %s", exc)
    return problem(
        status, "solver-failed", "Solver failed", str(exc), request, solver_status=exc.status
    )


# statuses of a solver that stopped at a limit without a route (the request's fault, not ours)
LIMIT_STATUSES = frozenset(
    {"time_limit", "label_limit", "no_solution_found", "feasible", "no_solution", "limit"}
)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    return problem(
        422,
        "validation-error",
        "Request validation failed",
        f"{len(errors)} invalid field(s)",
        request,
        errors=errors,
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    type_ = {404: "not-found", 405: "method-not-allowed", 413: "too-big"}.get(
        exc.status_code, "http-error"
    )
    response = problem(exc.status_code, type_, str(exc.detail), str(exc.detail), request)
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (HEAD wherever GET is)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


async def _scenario_not_found(request: Request, exc: Exception) -> JSONResponse:
    return problem(
        404,
        "scenario-not-found",
        "Scenario not found",
        str(exc),
        request,
        bundled=getattr(exc, "bundled", []),
    )


async def _data_invalid(request: Request, exc: Exception) -> JSONResponse:
    log.error("data files invalid: %s", exc)
    return problem(503, "data-unavailable", "Data unavailable", str(exc).splitlines()[0], request)


async def _overloaded(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Overloaded)
    response = problem(503, "busy", "Service busy", str(exc), request)
    response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


async def _worker_failed(request: Request, exc: Exception) -> JSONResponse:
    log.error("compute worker failed: %s", exc)
    response = problem(503, "worker-failed", "Compute worker failed", str(exc), request)
    response.headers["Retry-After"] = str(WorkerFailed.retry_after_s)
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(UnknownLocationError, _unknown_location)
    app.add_exception_handler(RequestError, _request_error)
    app.add_exception_handler(InfeasibleError, _infeasible)
    app.add_exception_handler(NoRouteError, _no_route)
    app.add_exception_handler(ScenarioError, _scenario)
    app.add_exception_handler(SolverError, _solver)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Overloaded, _overloaded)
    app.add_exception_handler(WorkerFailed, _worker_failed)
    app.add_exception_handler(DataValidationError, _data_invalid)
    from api.routes.scenarios import ScenarioNotFound  # the resource owns its error

    app.add_exception_handler(ScenarioNotFound, _scenario_not_found)
