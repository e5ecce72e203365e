"""Avoid areas: GeoJSON polygons in the request mask every link that meets them and every
place inside them; bad polygons are typed errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from corridors.cli import main
from corridors.errors import InfeasibleError, RequestError
from corridors.request import RouteRequest, request_from_options
from corridors.routing import Router

# the approaches of Bab-el-Mandeb (a box over the strait, lon/lat)
BAB_EL_MANDEB = {
    "type": "Polygon",
    "coordinates": [[[42.0, 11.5], [44.5, 11.5], [44.5, 13.8], [42.0, 13.8], [42.0, 11.5]]],
}
HORMUZ = {
    "type": "Feature",
    "properties": {"name": "Strait of Hormuz"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[55.8, 25.8], [57.2, 25.8], [57.2, 27.2], [55.8, 27.2], [55.8, 25.8]]],
    },
}


def _req(**kw: object) -> RouteRequest:
    base = {"origin": "Bandar Abbas", "destination": "Rotterdam", "modes": ["sea"]}
    return request_from_options({**base, **kw})


def test_an_area_over_a_strait_sends_the_route_round_it(real_router: Router) -> None:
    through = real_router.route(_req())
    assert any(
        "babalmandab" in real_router.network.link_by_id[leg.link_id].passages
        for leg in through.legs
    )
    around = real_router.route(_req(avoid_areas=[BAB_EL_MANDEB]))
    assert not any(
        "babalmandab" in real_router.network.link_by_id[leg.link_id].passages for leg in around.legs
    )
    assert around.summary.distance_km > through.summary.distance_km + 3000  # the Cape


def test_a_place_inside_an_area_is_excluded_and_named(real_router: Router) -> None:
    with pytest.raises(RequestError, match="bandar_abbas must be on the route.*avoid_areas"):
        real_router.route(_req(avoid_areas=[HORMUZ]))
    with pytest.raises(InfeasibleError) as err:  # Jebel Ali lies beyond the strait
        real_router.route(
            request_from_options(
                {
                    "origin": "Jebel Ali",
                    "destination": "Mumbai",
                    "modes": ["sea"],
                    "avoid_areas": [HORMUZ],
                }
            )
        )
    assert "avoid_areas" in err.value.rules


@pytest.mark.parametrize(
    ("area", "reason"),
    [
        ({"type": "Point", "coordinates": [50, 30]}, "expected Polygon"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]]},
            "not a valid polygon",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [0, 1], [0, 0]]]}, "lon -180"),
        ({"type": "Polygon", "coordinates": "nope"}, "not a valid polygon"),
        ("{not json", "not GeoJSON"),
    ],
)
def test_bad_areas_are_typed_errors(real_router: Router, area: object, reason: str) -> None:
    with pytest.raises(RequestError, match=reason):
        real_router.route(_req(avoid_areas=[area]))


def test_avoid_areas_from_the_cli_and_over_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "red_sea.geojson"
    path.write_text(json.dumps(BAB_EL_MANDEB), encoding="utf-8")
    argv = ["route", "Bandar Abbas", "Rotterdam", "--modes", "sea", "--json"]
    assert main([*argv, "--avoid-area", str(path)]) == 0
    cli = json.loads(capsys.readouterr().out)
    with TestClient(create_app(Settings())) as client:
        body = {
            "origin": "Bandar Abbas",
            "destination": "Rotterdam",
            "modes": ["sea"],
            "avoid_areas": [BAB_EL_MANDEB],
        }
        http = client.post("/v1/routes", json=body).json()
        assert http["summary"]["distance_km"] == cli["summary"]["distance_km"]
        bad = client.post("/v1/routes", json={**body, "avoid_areas": [{"type": "Point"}]})
        assert bad.status_code == 422 and "avoid_areas[0]" in bad.json()["detail"]
