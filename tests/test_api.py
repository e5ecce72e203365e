"""The REST service through FastAPI's test client: every endpoint and every problem type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.conftest import TINY


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(
        data_dir=str(TINY), max_via=2, max_exclusions=3, solver_time_limit_s=5, max_body_bytes=2000
    )
    with TestClient(create_app(settings)) as c:
        yield c


def _problem(resp, status: int, type_: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["type"] == f"/problems/{type_}" and body["status"] == status
    assert body["title"] and body["detail"] and body["instance"].startswith("/v1/")
    return body


def test_health_and_network(client):
    h = client.get("/v1/health").json()
    assert h["status"] == "ok" and h["network_version"]
    n = client.get("/v1/network").json()
    assert n["locations"] == 5 and n["links"] == 7 and n["border_crossings"] == 2
    assert n["countries"]["TM"]["locations"] == 3


def test_locations_filters_and_lookup(client):
    assert {
        x["id"] for x in client.get("/v1/network/locations", params={"country": "kz"}).json()
    } == {"alpha", "bravo"}
    assert [
        x["id"] for x in client.get("/v1/network/locations", params={"mode": "sea"}).json()
    ] == ["alpha", "delta"]
    assert [x["id"] for x in client.get("/v1/network/locations", params={"q": "alfa"}).json()] == [
        "alpha"
    ]
    assert client.get("/v1/network/locations/TMDLT").json()["id"] == "delta"
    body = _problem(client.get("/v1/network/locations/deltta"), 404, "location-not-found")
    assert body["suggestions"][0].startswith("delta")


def test_a_query_parameter_an_endpoint_does_not_take_is_refused(client):
    # a simple GET route with modes=rail must not answer silently for every mode
    q = {"origin": "alpha", "destination": "delta", "modes": "rail"}
    body = _problem(client.get("/v1/routes", params=q), 422, "invalid-request")
    assert "unknown query parameter(s): modes" in body["detail"] and "origin" in body["detail"]
    del q["modes"]
    assert client.get("/v1/routes", params=q).status_code == 200
    # declared query parameters of a dependency or an option still pass
    assert client.post("/v1/routes?format=csv", json=q).status_code == 200
    assert client.get("/v1/network/locations", params={"country": "kz"}).status_code == 200


def test_geojson_is_a_feature_collection(client):
    g = client.get("/v1/network/geojson").json()
    assert g["type"] == "FeatureCollection"
    kinds = {f["geometry"]["type"] for f in g["features"]}
    assert kinds == {"Point", "LineString"}
    rail = client.get("/v1/network/geojson", params={"mode": "rail", "status": "planned"}).json()
    lines = [f for f in rail["features"] if f["geometry"]["type"] == "LineString"]
    assert [f["id"] for f in lines] == ["rail_delta_echo"]


def test_post_and_get_route_agree_with_the_library(client, tiny_router):
    from corridors.request import RouteRequest

    expected = tiny_router.route(RouteRequest("alpha", "delta")).summary.cost_usd
    post = client.post("/v1/routes", json={"origin": "alpha", "destination": "delta"}).json()
    get = client.get("/v1/routes", params={"origin": "alpha", "destination": "delta"}).json()
    assert post["summary"]["cost_usd"] == get["summary"]["cost_usd"] == pytest.approx(expected)
    assert post["geometry"]["type"] == "FeatureCollection"
    assert len(post["geometry"]["features"]) == len(post["legs"])


def test_route_with_rules(client):
    body = {
        "origin": "alpha",
        "destination": "echo",
        "objective": "time",
        "year": 2030,
        "via": [{"location": "charlie", "dwell_h": 5}],
        "max_borders": 1,
        "quantity": 3,
    }
    r = client.post("/v1/routes", json=body).json()
    assert r["quantity"] == 3 and r["summary"]["border_crossings"] <= 1
    assert any(e["kind"] == "via_dwell" for e in r["events"])


def test_pareto(client):
    r = client.post(
        "/v1/routes/pareto", json={"origin": "alpha", "destination": "echo", "year": 2030}
    )
    assert r.status_code == 200
    points = r.json()["points"]
    assert len(points) >= 2 and points[0]["flip_value_of_time_usd_per_unit_h"] is None
    costs = [p["summary"]["cost_usd"] for p in points]
    assert costs == sorted(costs)


def test_every_problem_type(client):
    _problem(
        client.post("/v1/routes", json={"origin": "alpha", "destination": "nowhere"}),
        404,
        "location-not-found",
    )
    body = _problem(
        client.post("/v1/routes", json={"origin": "alpha", "destination": "delta", "max_hours": 1}),
        422,
        "no-route-under-constraints",
    )
    assert body["rules"] == ["max_hours"] and body["best_without"]["cost_usd"] == pytest.approx(380)
    _problem(
        client.post(
            "/v1/routes",
            json={"origin": "alpha", "destination": "delta", "exclude_countries": ["TM"]},
        ),
        409,
        "constraint-conflict",
    )
    _problem(
        client.post(
            "/v1/routes",
            json={
                "origin": "alpha",
                "destination": "delta",
                "exclude_locations": ["a", "b", "c", "d"],
            },
        ),
        413,
        "too-big",
    )
    # a time limit above the server's is cut to it, as the schema says (not refused)
    cut = client.post(
        "/v1/routes", json={"origin": "alpha", "destination": "delta", "time_limit_s": 60}
    )
    assert cut.status_code == 200
    _problem(
        client.post(
            "/v1/routes",
            content=b"{" + b" " * 3000 + b"}",
            headers={"content-type": "application/json"},
        ),
        413,
        "too-big",
    )
    body = _problem(
        client.post("/v1/routes", json={"origin": "alpha", "destination": "delta", "quantity": 0}),
        422,
        "validation-error",
    )
    assert body["errors"][0]["loc"] == ["body", "quantity"]
    _problem(
        client.post(
            "/v1/routes",
            json={"origin": "alpha", "destination": "delta", "exclude_links": ["no_such_link"]},
        ),
        422,
        "invalid-request",
    )
    _problem(
        client.post(
            "/v1/routes",
            json={
                "origin": "alpha",
                "destination": "delta",
                "solver": "dijkstra",
                "max_hours": 100,
            },
        ),
        422,
        "invalid-request",
    )
    _problem(client.get("/v1/nothing-here"), 404, "not-found")


def test_no_route_at_all(tmp_path):
    # a copy of the tiny network where echo is reachable only by the planned rail line
    import shutil

    shutil.copytree(TINY, tmp_path / "net")
    links = (tmp_path / "net" / "links.csv").read_text().splitlines()
    (tmp_path / "net" / "links.csv").write_text(
        "\n".join(x for x in links if not x.startswith("road_delta_echo")) + "\n"
    )
    with TestClient(create_app(Settings(data_dir=str(tmp_path / "net")))) as c:
        body = _problem(
            c.post("/v1/routes", json={"origin": "alpha", "destination": "echo"}), 404, "no-route"
        )
        assert "operational lines only" in body["detail"]
        ok = c.post("/v1/routes", json={"origin": "alpha", "destination": "echo", "year": 2030})
        assert ok.status_code == 200


def test_repeated_route_is_served_from_the_cache_and_errors_are_not_cached(client):
    cache = client.app.state.cache
    body = {"origin": "bravo", "destination": "echo", "objective": "distance"}
    first = client.post("/v1/routes", json=body)
    hits = cache.hits
    second = client.post("/v1/routes", json=body)
    assert second.status_code == 200 and second.content == first.content
    assert cache.hits == hits + 1
    misses = cache.misses
    for _ in range(2):
        bad = client.post("/v1/routes", json={**body, "max_hours": 0.5})
        assert bad.status_code == 422
    assert cache.misses == misses + 2  # computed (and refused) both times, never stored


def test_assignment_endpoint(client):
    r = client.post("/v1/assignment", json={"method": "lp"})
    assert r.status_code == 200, r.text
    body = r.json()
    (element,) = body["elements"]
    assert element["element"] == "border_rail_bravo_charlie" and element["utilisation"] == 1.0
    assert element["shadow_price_usd_per_t"] > 0
    assert client.post("/v1/assignment", json={"method": "magic"}).status_code == 422
