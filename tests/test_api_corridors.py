"""REST corridors and scenarios on the bundled network; results equal the library's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from corridors.compare import compare
from corridors.request import RouteRequest


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as c:
        yield c


def test_corridors_listed(client, real_net):
    got = client.get("/v1/corridors").json()
    assert {c["id"] for c in got} == set(real_net.corridors)
    assert all(c["sources"] for c in got)


def test_compare_matches_the_library(client, real_router):
    body = {"origin": "Tashkent", "destination": "Mumbai"}
    got = client.post("/v1/corridors/compare", json=body).json()
    lib = compare(real_router, RouteRequest("Tashkent", "Mumbai", objective="generalized"))
    assert got["objective"] == "generalized"  # the comparison's default
    assert [c["corridor"] for c in got["corridors"]] == [r.corridor.id for r in lib.results]
    first = got["corridors"][0]
    assert first["summary"]["cost_usd"] == pytest.approx(
        lib.results[0].route.summary.cost_usd, abs=0.01
    )
    assert got["iran"]["best_through_iran"] == lib.best_through_iran.corridor.id
    assert got["iran"]["delta_through_minus_avoiding"]["cost_usd"] == pytest.approx(
        lib.delta["cost_usd"]
    )


def test_compare_chart_png_and_svg(client):
    body = {
        "origin": "Tashkent",
        "destination": "Mumbai",
        "corridors": ["iran_south_sarakhs", "trans_afghan"],
    }
    png = client.post("/v1/corridors/compare/chart", json=body)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.post("/v1/corridors/compare/chart", params={"format": "svg"}, json=body)
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content[:500]


def test_compare_errors(client):
    r = client.post(
        "/v1/corridors/compare",
        json={"origin": "Tashkent", "destination": "Mumbai", "corridors": ["silk_road"]},
    )
    assert r.status_code == 404 and "unknown corridor" in r.json()["detail"]
    r = client.post("/v1/corridors/compare", json={"origin": "Tashkentt", "destination": "Mumbai"})
    assert r.status_code == 404 and r.json()["type"] == "/problems/location-not-found"


def test_scenarios_listed_and_run(client):
    listed = client.get("/v1/scenarios").json()
    assert len(listed) >= 8 and {"id", "name", "description", "changes"} <= set(listed[0])
    body = {
        "scenario": {
            "name": "Caspian twice as often",
            "changes": {"frequency_scale": {"sea_caspian": 2.0}},
            "queries": [
                {"origin": "Almaty", "destination": "Istanbul", "corridors": ["middle_corridor"]}
            ],
        }
    }
    r = client.post("/v1/scenarios/run", json=body)
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    delta = res["diff"]["corridors"]["middle_corridor"]
    assert delta["time_h"] < 0 and delta["cost_usd"] == pytest.approx(0, abs=0.01)
    bad = client.post("/v1/scenarios/run", json={"name": "no_such"})
    assert bad.status_code == 404 and bad.json()["type"] == "/problems/scenario-not-found"
    bad = client.post("/v1/scenarios/run", json={"scenario": {"name": "x", "queries": []}})
    assert bad.status_code == 422 and bad.json()["type"] == "/problems/invalid-scenario"


def test_uncertainty_over_http_equals_the_library(client, real_router):
    from corridors.uncertainty.evaluate import Evaluator
    from corridors.uncertainty.model import load_uncertainty
    from corridors.uncertainty.montecarlo import run

    body = {"origin": "Tashkent", "destination": "Istanbul", "draws": 200, "seed": 4}
    got = client.post("/v1/uncertainty", json=body)
    assert got.status_code == 200, got.text
    req = RouteRequest("Tashkent", "Istanbul", objective="generalized")
    model = load_uncertainty(real_router.network)
    want = run(Evaluator(real_router, req, model), model, draws=200, seed=4)
    assert {c["corridor"]: c["p_best"] for c in got.json()["corridors"]} == {
        o.corridor: round(o.p_best, 4) for o in want.outcomes
    }
    assert sum(c["p_best"] for c in got.json()["corridors"]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("path", "body", "status", "problem"),
    [
        ("/v1/uncertainty", {"draws": 10**6}, 422, "validation-error"),
        ("/v1/uncertainty", {"objective": "distance"}, 422, "validation-error"),
        ("/v1/uncertainty", {"max_hours": 100.0}, 422, "validation-error"),
        (
            "/v1/uncertainty/breakeven",
            {"between": ["middle_corridor", "iran_turkey_land"], "parameter": "tariff:rale"},
            404,
            "parameter-not-found",
        ),
        (
            "/v1/uncertainty/breakeven",
            {"between": ["middle_corridor", "northern_route"]},
            404,
            "corridor-not-found",
        ),
    ],
)
def test_uncertainty_bad_input_is_typed(client, path, body, status, problem):
    got = client.post(path, json={"origin": "Tashkent", "destination": "Istanbul", **body})
    assert got.status_code == status, got.text
    assert got.json()["type"] == f"/problems/{problem}"


def test_breakeven_over_http_brackets_a_flip(client):
    body = {
        "origin": "Astana",
        "destination": "Mundra",
        "between": ["instc_west_caspian", "iran_south_sarakhs"],
        "parameter": "tariff:sea_caspian",
        "low": 0.05,
        "high": 1.0,
    }
    got = client.post("/v1/uncertainty/breakeven", json=body).json()
    (b,) = got["breakeven"]
    assert 0.05 < b["value"] < 1.0
    assert b["gap_below"] < 0 < b["gap_above"]
    assert got["tornado"][0]["swing"] >= got["tornado"][-1]["swing"]
