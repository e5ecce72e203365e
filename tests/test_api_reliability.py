"""The service under bad input and load (issue 11): no 500s, a deadline, shedding, protocol
details, operators' settings, offline docs, names in any script."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import strategies as st

from api import jobs
from api.compute import ComputeGate, Overloaded, WorkerFailed
from api.main import create_app
from api.settings import Settings
from corridors.data import default_data_dir, load_network
from corridors.deadline import check_deadline, deadline
from corridors.errors import ScenarioError, SolverError, UnknownLocationError
from corridors.request import RouteRequest
from corridors.routing import Router


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(cors_origins=["http://localhost:3000"]))) as c:
        yield c


def _problem(resp, status: int, type_: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["type"] == f"/problems/{type_}"
    return body


def test_pareto_with_co2_is_plain_json(client):
    r = client.post(
        "/v1/routes/pareto",
        json={"origin": "Almaty", "destination": "Duisburg", "include_co2": True},
    )
    assert r.status_code == 200, r.text
    json.loads(r.text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


@pytest.mark.parametrize("queries", [5, True, "x"])
def test_scenario_queries_of_the_wrong_type_are_422(client, queries):
    body = {"scenario": {"name": "x", "queries": queries}}
    _problem(client.post("/v1/scenarios/run", json=body), 422, "invalid-scenario")


@pytest.mark.parametrize("scale", ["NaN", "1e308", "1e-320", "Infinity"])
def test_non_finite_or_extreme_scales_are_refused(client, scale):
    text = (
        '{"scenario": {"name": "x", "changes": {"border_dwell_scale": SCALE},'
        ' "queries": [{"origin": "Almaty", "destination": "Tashkent"}]}}'
    ).replace("SCALE", scale)
    r = client.post("/v1/scenarios/run", content=text, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert "border_dwell_scale" in r.text


@pytest.mark.parametrize("quantity", ["1e309", "NaN", "true", '"2"'])
def test_bad_quantities_name_the_field(client, quantity):
    text = '{"origin": "Almaty", "destination": "Tashkent", "quantity": Q}'.replace("Q", quantity)
    r = client.post("/v1/routes", content=text, headers={"content-type": "application/json"})
    body = _problem(r, 422, "validation-error")
    assert body["errors"][0]["loc"] == ["body", "quantity"]


def test_strict_types_no_coercion(client):
    for field, value in (("max_borders", False), ("year", "2030"), ("objective", 1)):
        r = client.post(
            "/v1/routes", json={"origin": "Almaty", "destination": "Tashkent", field: value}
        )
        assert r.status_code == 422, (field, r.text)


def test_a_mip_stopped_by_its_time_limit_is_a_typed_422(client):
    r = client.post(
        "/v1/routes",
        json={
            "origin": "Almaty",
            "destination": "Duisburg",
            "solver": "mip",
            "time_limit_s": 0.001,
            "max_borders": 6,
        },
    )
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert r.json()["type"] in (
            "/problems/solver-failed",
            "/problems/no-route-under-constraints",
        )


def test_a_malformed_bundled_scenario_stops_start_up(tmp_path):
    data = tmp_path / "net"
    shutil.copytree(default_data_dir(), data)
    (data / "scenarios" / "broken.toml").write_text(
        'name = "x"\n[changes]\nborder_dwell_scale = -1\n'
    )
    with pytest.raises(ScenarioError, match="broken.toml"):
        with TestClient(create_app(Settings(data_dir=str(data)))):
            pass


def test_the_request_deadline_stops_the_work():
    with deadline(0.0):
        with pytest.raises(SolverError) as info:
            check_deadline()
    assert info.value.status == "deadline"
    settings = Settings(request_deadline_s=0.001)
    with TestClient(create_app(settings)) as c:
        r = c.post(
            "/v1/corridors/compare",
            json={
                "origin": "Almaty",
                "destination": "Rotterdam",
                "max_borders": 5,
                "objective": "co2",
            },
        )
        _problem(r, 504, "deadline-exceeded")
        assert c.get("/v1/health").status_code == 200


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(load_network())


def test_a_full_queue_is_shed_with_retry_after(router):
    gate = ComputeGate(router, workers=1, max_queue=0, deadline_s=5, processes=False)
    with pytest.raises(Overloaded):
        with gate.slot():
            pass
    gate = ComputeGate(router, workers=1, max_queue=1, deadline_s=5, processes=False)
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with gate.slot():
            entered.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    entered.wait(5)
    assert gate.busy == (1, 0)
    release.set()
    t.join(5)
    with TestClient(create_app(Settings(compute_queue=0))) as c:
        r = c.get("/v1/routes", params={"origin": "Almaty", "destination": "Tashkent"})
        _problem(r, 503, "busy")
        assert r.headers["retry-after"] == "1"
        ready = c.get("/v1/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "busy"


def test_slots_go_to_requests_in_arrival_order(router):
    """A freed slot goes to the longest-waiting request, not to whoever asks next (with a plain
    semaphore, a client that had just finished took the slot again, and others starved)."""
    gate = ComputeGate(router, workers=1, max_queue=10, deadline_s=5, processes=False)
    order: list[str] = []
    pause = threading.Event()

    def request(name: str) -> None:
        with gate.slot():
            order.append(name)

    threads = [threading.Thread(target=request, args=(f"queued {i}",)) for i in range(3)]
    with gate.slot():  # the only slot is taken; three requests queue in turn
        for i, t in enumerate(threads):
            t.start()
            while gate.busy[1] < i + 1:  # until it is queued
                pause.wait(0.001)
    request("asked again at once")  # the releasing client asks again: it queues last
    for t in threads:
        t.join(5)
    assert order == ["queued 0", "queued 1", "queued 2", "asked again at once"]
    assert gate.busy == (0, 0)


def _exit_the_worker(r: Router) -> None:
    os._exit(3)  # a worker that dies mid-job (a crash, the OOM killer)


def _exit_the_worker_later(r: Router) -> None:
    time.sleep(1.0)  # long enough for both requests to be running on the same pool
    os._exit(3)


def _network_version(r: Router) -> str:
    return r.network.version


def test_jobs_run_in_worker_processes_and_answer_as_in_process(router):
    """A job's answer and its errors are the same in a worker process as in the server's own
    thread; a worker that dies is a 503-type error, and the next job runs on a new one."""
    req = RouteRequest("Almaty", "Bandar Abbas")
    unknown = RouteRequest("Almatx", "Bandar Abbas")
    pooled = ComputeGate(router, workers=1, max_queue=4, deadline_s=30)
    local = ComputeGate(router, workers=1, max_queue=4, deadline_s=30, processes=False)
    pooled.start()
    try:
        answers = []
        for gate in (pooled, local):
            body = json.loads(gate.run(jobs.best_route, req, "json").body)
            del body["solver"]["elapsed_ms"]  # the clock's
            answers.append(body)
        assert answers[0] == answers[1]
        errors = []
        for gate in (pooled, local):
            with pytest.raises(UnknownLocationError) as info:
                gate.run(jobs.best_route, unknown, "json")
            errors.append((info.value.query, info.value.suggestions, str(info.value)))
        assert errors[0] == errors[1] and errors[0][1][0].startswith("almaty ")
        with pytest.raises(WorkerFailed):
            pooled.run(_exit_the_worker)
        assert pooled.run(_network_version) == router.network.version
        assert pooled.busy == (0, 0)
    finally:
        pooled.close()


def test_requests_that_see_a_pool_break_replace_it_once(router):
    gate = ComputeGate(router, workers=2, max_queue=4, deadline_s=30)
    gate.start()
    pools = []
    make = gate._new_pool

    def counted():  # every pool the gate creates after start-up
        pools.append(make())
        return pools[-1]

    gate._new_pool = counted  # type: ignore[method-assign]
    failures: list[BaseException] = []

    def die() -> None:
        try:
            gate.run(_exit_the_worker_later)
        except WorkerFailed as err:
            failures.append(err)

    try:
        threads = [threading.Thread(target=die) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(failures) == 2  # both saw the pool break
        assert len(pools) == 1  # and it was replaced once
        assert gate.run(_network_version) == router.network.version
    finally:
        gate.close()


def test_ready_and_health(client):
    assert client.get("/v1/ready").json()["status"] == "ready"
    head = client.head("/v1/health")
    assert head.status_code == 200 and head.content == b""


def test_protocol_details(client):
    r = client.delete("/v1/routes")
    assert r.status_code == 405 and "GET" in r.headers["allow"] and "POST" in r.headers["allow"]

    def chunks() -> Iterator[bytes]:
        yield b'{"origin": "Almaty", "destination": "'
        for _ in range(200):
            yield b"x" * 1000
        yield b'"}'

    big = client.post(
        "/v1/routes",
        content=chunks(),
        headers={"content-type": "application/json", "origin": "http://localhost:3000"},
    )
    _problem(big, 413, "too-big")
    assert big.headers["access-control-allow-origin"] == "http://localhost:3000"
    same = client.post("/v1/corridors/compare", json={"origin": "Almaty", "destination": "Almaty"})
    _problem(same, 409, "constraint-conflict")
    assert (
        client.post("/v1/routes", json={"origin": "Almaty", "destination": "Almaty"}).status_code
        == 409
    )


def test_schema_and_validation_agree(client):
    ok = client.post(
        "/v1/routes", json={"origin": "Almaty", "destination": "Tashkent", "time_limit_s": 599}
    )
    assert ok.status_code == 200
    _problem(
        client.post(
            "/v1/corridors/compare",
            json={"origin": "Almaty", "destination": "Tashkent", "corridors": [""]},
        ),
        422,
        "validation-error",
    )
    _problem(
        client.post(
            "/v1/routes/pareto",
            json={"origin": "Almaty", "destination": "Tashkent", "max_borders": 2},
        ),
        422,
        "validation-error",
    )
    _problem(client.post("/v1/scenarios/run", json={}), 422, "validation-error")


def test_every_answer_names_its_data_and_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="corridors.access"):
        r = client.post("/v1/routes", json={"origin": "Almaty", "destination": "Tashkent"})
    version = r.headers["x-network-version"]
    assert version and r.json()["network"] == version and r.headers["x-request-id"]
    assert any(r.headers["x-request-id"] in m and " 200 " in m for m in caplog.messages)
    cmp = client.post("/v1/corridors/compare", json={"origin": "Almaty", "destination": "Tashkent"})
    assert cmp.json()["network"] == version


def test_docs_load_without_a_cdn(client):
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "/static/docs/swagger-ui-bundle.js" in page
    assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
    redoc = client.get("/redoc").text
    assert "/static/docs/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc


def test_names_in_any_script_and_blank_names(client):
    r = client.get("/v1/routes", params={"origin": "АЛМАТЫ", "destination": "Ташкент"})
    assert r.status_code == 200, r.text
    r = client.get("/v1/routes", params={"origin": "تهران", "destination": "مشهد"})
    assert r.status_code == 200, r.text
    blank = _problem(
        client.post("/v1/routes", json={"origin": "   ", "destination": "Tashkent"}),
        404,
        "location-not-found",
    )
    assert "a place name is needed" in blank["detail"]


def test_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("CORRIDORS_CORS_ORIGINS", "http://localhost:3000, http://example.org")
    assert Settings().cors_origins == ["http://localhost:3000", "http://example.org"]
    monkeypatch.setenv("CORRIDORS_PORT", "abc")
    from api.serve import main

    assert main([]) == 2


def test_health_stays_fast_while_routes_queue(client):
    stop = time.monotonic() + 2.0
    errors: list[int] = []

    def load() -> None:
        while time.monotonic() < stop:
            r = client.post(
                "/v1/corridors/compare", json={"origin": "Almaty", "destination": "Istanbul"}
            )
            if r.status_code >= 500 and r.status_code != 503:
                errors.append(r.status_code)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    answered = 0
    while time.monotonic() < stop:
        assert client.get("/v1/health").status_code == 200
        answered += 1
    for t in threads:
        t.join(30)
    assert answered > 5 and not errors


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "origin",
                    "destination",
                    "quantity",
                    "objective",
                    "cargo",
                    "via",
                    "gates",
                    "modes",
                    "max_hours",
                    "max_borders",
                    "year",
                    "name",
                    "scenario",
                    "queries",
                    "changes",
                    "corridors",
                    "solver",
                    "time_limit_s",
                    "epsilon",
                    "include_co2",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=12,
)


def test_no_request_body_produces_a_5xx(client):
    from hypothesis import HealthCheck, given, settings

    base = {"origin": "Almaty", "destination": "Tashkent"}

    @given(body=JSON_VALUES, merge=st.booleans())
    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(body: object, merge: bool) -> None:
        if merge and isinstance(body, dict):
            body = {**base, **body}
        for path in (
            "/v1/routes",
            "/v1/routes/pareto",
            "/v1/corridors/compare",
            "/v1/scenarios/run",
        ):
            r = client.post(path, json=body)
            assert r.status_code < 500 or r.status_code in (503, 504), (path, body, r.text)

    check()
