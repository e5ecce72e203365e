"""The real server: uvicorn on 127.0.0.1 (a free port) with the bundled network, queried over
HTTP, and a bounded Schemathesis run against its /openapi.json: no 5xx, every response
conforming to the documented schema and status codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "CORRIDORS_SOLVER_TIME_LIMIT_S": "5"}
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "corridors.cli", "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start: {log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_real_server_answers_a_route(base_url):
    r = httpx.get(f"{base_url}/v1/routes", params={"origin": "Tashkent", "destination": "Bandar Abbas"},
                  timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["origin"] == "tashkent" and body["destination"] == "bandar_abbas"
    assert body["summary"]["cost_usd"] > 0 and body["legs"]
    docs = httpx.get(f"{base_url}/docs", timeout=10)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    bad = httpx.post(f"{base_url}/v1/routes", json={"origin": "Tashknet", "destination": "Bandar Abbas"},
                     timeout=10)
    assert bad.status_code == 404 and "tashkent" in bad.json()["suggestions"][0]


@pytest.fixture(scope="module")
def api_schema(base_url):
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_openapi_contract(case, base_url):
    case.call_and_validate(base_url=base_url, timeout=60)
