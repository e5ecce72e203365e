"""Scenarios resource: the bundled scenarios, and running one (bundled or in the body)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api import jobs
from api.deps import GateDep, RouterDep
from api.export import FormatQuery, chosen_format, export_responses
from api.schemas import ScenarioInfoOut, ScenarioRunOut, problem_responses
from corridors.data import default_data_dir
from corridors.errors import RequestError
from corridors.routing import Router
from corridors.scenarios import load_scenario, parse_scenario

router = APIRouter(prefix="/scenarios", tags=["scenarios"])
ERRORS = problem_responses(404, 413, 422)


class ScenarioRunBody(BaseModel):
    """Either the name of a bundled scenario, or a scenario itself (the TOML layout as JSON)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "oneOf": [
                {"required": ["name"], "properties": {"name": {"type": "string"}}},
                {"required": ["scenario"], "properties": {"scenario": {"type": "object"}}},
            ],
            "examples": [
                {"name": "hormuz_closed"},
                {
                    "scenario": {
                        "name": "Ferries twice as often",
                        "changes": {"frequency_scale": {"sea_caspian": 2.0}},
                        "queries": [{"origin": "Almaty", "destination": "Istanbul"}],
                    }
                },
            ],
        },
    )
    name: str | None = Field(
        None, min_length=1, max_length=100, description="A bundled scenario id"
    )
    scenario: dict[str, Any] | None = Field(None, description="A scenario in the body")

    @model_validator(mode="after")
    def _exactly_one(self) -> ScenarioRunBody:
        if (self.name is None) == (self.scenario is None):
            raise ValueError("give exactly one of 'name' (a bundled scenario) or 'scenario'")
        return self


class ScenarioNotFound(LookupError):
    """No bundled scenario has this name (404)."""

    def __init__(self, name: str, bundled: list[str]) -> None:
        self.name, self.bundled = name, bundled
        super().__init__(f"unknown scenario {name!r}; bundled: {', '.join(bundled)}")


def check_bundled_scenarios(r: Router) -> None:
    """Load every bundled scenario once (at start-up): a malformed one raises ScenarioError."""
    for path in _bundled(r).values():
        load_scenario(path, r)


def _bundled(r: Router) -> dict[str, Path]:
    """The scenario files beside the served network (``<data dir>/scenarios/*.toml``)."""
    data_dir = r.network.data_dir or default_data_dir()
    return {p.stem: p for p in sorted((data_dir / "scenarios").glob("*.toml"))}


@router.get("", response_model=list[ScenarioInfoOut], summary="The bundled scenarios")
def scenarios(r: RouterDep) -> list[dict[str, Any]]:
    out = []
    for sid, path in _bundled(r).items():
        root = tomllib.loads(path.read_text(encoding="utf-8"))
        out.append(
            {
                "id": sid,
                "name": root.get("name"),
                "description": root.get("description"),
                "changes": root.get("changes", {}),
                "queries": len(root.get("queries", [])),
            }
        )
    return out


@router.post(
    "/run",
    response_model=ScenarioRunOut,
    responses={**ERRORS, **export_responses(geojson=False)},
    summary="Run a scenario: baseline vs scenario per query",
)
def run(
    body: ScenarioRunBody,
    r: RouterDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    if (body.name is None) == (body.scenario is None):
        raise RequestError("give exactly one of 'name' (a bundled scenario) or 'scenario'")
    if body.name is not None:
        bundled = _bundled(r)
        if body.name not in bundled:
            raise ScenarioNotFound(body.name, list(bundled))
        sc = load_scenario(bundled[body.name], r)
    else:
        assert body.scenario is not None
        cap = r.limits.max_queries
        queries = body.scenario.get("queries", [])
        if isinstance(queries, list) and len(queries) > cap:
            raise RequestError(f"at most {cap} queries per scenario", kind="too-big")
        sc = parse_scenario(body.scenario, r, file="request body", scenario_id="request")
    return gate.run(jobs.scenario, sc, chosen_format(format, request)).response()
