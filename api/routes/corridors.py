"""Corridors resource: definitions, comparison of an origin and destination, TCD chart."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from api.deps import GateDep, RouterDep, SettingsDep
from api.export import FormatQuery, chosen_format, export_responses, rendered
from api.routes.routes import route_out, to_request
from api.schemas import CompareOut, CorridorOut, Objective, RouteBody, problem_responses
from corridors.charts import chart_footnote, tcd_chart
from corridors.compare import compare
from corridors.views.comparison import comparison_dict
from corridors.views.export import comparison_rows, routes_geojson

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
    r: RouterDep,
    s: SettingsDep,
    gate: GateDep,
    request: Request,
    format: FormatQuery = None,
) -> Response:
    with gate.slot():
        cmp = compare(r, to_request(body, s), body.corridors)
        view = comparison_dict(cmp, lambda route: route_out(r, route))
    return rendered(
        chosen_format(format, request),
        "a comparison",
        lambda: {**view, "network": r.network.version},
        lambda: comparison_rows(view),
        lambda: routes_geojson(
            r.network, [(x.corridor.id, x.route) for x in cmp.results if x.route]
        ),
    )


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
    r: RouterDep,
    s: SettingsDep,
    gate: GateDep,
    format: Annotated[Literal["png", "svg"], Query(description="Image format")] = "png",
    routes: Annotated[int, Query(ge=1, le=11, description="How many corridors to draw")] = 4,
) -> Response:
    with gate.slot():
        cmp = compare(r, to_request(body, s), body.corridors)
    drawn = [(x.corridor.name, x.route) for x in cmp.results if x.route][:routes]
    if not drawn:
        from corridors.errors import NoRouteError

        raise NoRouteError("no corridor has a route between these places")
    media = "image/png" if format == "png" else "image/svg+xml"
    names = {loc.id: loc.name for loc in r.network.locations.values()}
    note = chart_footnote(r.network.version, drawn[0][1], cmp.value_of_time_usd_per_unit_h)
    return Response(tcd_chart(drawn, format, names=names, footnote=note), media_type=media)
