"""Network resource: summary, locations, GeoJSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import RouterDep
from api.schemas import LocationOut, NetworkOut, problem_responses
from corridors.geojson import network_geojson
from corridors.places import normalise
from corridors.views.routes import location_dict, network_info
from corridors.webmap import countries_geojson_text, places

router = APIRouter(prefix="/network", tags=["network"])
NOT_FOUND = problem_responses(404, 422)
BAD_QUERY = problem_responses(422)


@router.get("", response_model=NetworkOut, summary="Counts, countries, data version, sourced share")
def network(r: RouterDep) -> dict[str, Any]:
    return network_info(r.network)


@router.get(
    "/locations",
    response_model=list[LocationOut],
    responses=BAD_QUERY,
    summary="List and search locations",
)
def locations(
    r: RouterDep,
    country: Annotated[str | None, Query(max_length=2, description="ISO alpha-2 code")] = None,
    kind: Annotated[str | None, Query(max_length=40, description="e.g. caspian_port")] = None,
    mode: Annotated[Literal["rail", "road", "sea", "air"] | None, Query()] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Text in id, name or aliases")
    ] = None,
) -> list[dict[str, Any]]:
    net = r.network
    needle = normalise(q) if q else ""
    out = []
    for loc in sorted(net.locations.values(), key=lambda x: (x.country, x.id)):
        if country and loc.country != country.upper() or kind and loc.kind != kind:
            continue
        if mode and not any(m.startswith(mode) for m in net.modes_at(loc.id)):
            continue
        if needle and not any(needle in normalise(t) for t in (loc.id, loc.name, *loc.aliases)):
            continue
        out.append(location_dict(net, loc))
    return out


@router.get(
    "/countries",
    summary="Country outlines (Natural Earth 1:10m, GeoJSON) for maps",
    responses={200: {"content": {"application/geo+json": {}}}},
    response_class=Response,
)
def countries(r: RouterDep) -> Response:
    """The packaged file as it is (read once), not re-encoded per request."""
    return Response(countries_geojson_text(r.network), media_type="application/geo+json")


@router.get(
    "/places",
    summary="Every location as id -> [lat, lon, name], for maps",
    response_model=dict[str, list[Any]],
)
def map_places(r: RouterDep) -> dict[str, list[Any]]:
    return places(r.network)


@router.get(
    "/locations/{location}",
    response_model=LocationOut,
    responses=NOT_FOUND,
    summary="One location, by id, name, alias or code",
)
def location(r: RouterDep, location: str) -> dict[str, Any]:
    loc_id = r.resolve(location)
    return location_dict(r.network, r.network.locations[loc_id])


@router.get(
    "/geojson",
    responses=BAD_QUERY,
    summary="Locations, links and crossings as an RFC 7946 FeatureCollection",
)
def geojson(
    r: RouterDep,
    mode: Annotated[Literal["rail", "road", "sea", "air"] | None, Query()] = None,
    status: Annotated[
        Literal["operational", "under_construction", "planned"] | None, Query()
    ] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> dict[str, Any]:
    return network_geojson(
        r.network, mode=mode, status=status, country=country.upper() if country else None
    )
