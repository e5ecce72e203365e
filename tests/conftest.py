"""Shared fixtures: the tiny hand-built network with known answers, the bundled network, and
the real server (``base_url``: uvicorn on a free port of 127.0.0.1 with the bundled network)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corridors.data import default_data_dir, load_network
from corridors.model import Network, Route
from corridors.routing import Router

TINY = Path(__file__).parent / "data" / "tiny"


@pytest.fixture(scope="session")
def tiny_net() -> Network:
    return load_network(TINY)


@pytest.fixture(scope="session")
def tiny_router(tiny_net: Network) -> Router:
    return Router(tiny_net)


@pytest.fixture(scope="session")
def real_net() -> Network:
    return load_network(default_data_dir())


@pytest.fixture(scope="session")
def real_router(real_net: Network) -> Router:
    return Router(real_net)


@pytest.fixture()
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny network, for breaking one rule at a time."""
    dest = tmp_path / "net"
    shutil.copytree(TINY, dest)
    return dest


def route_places(route: Route) -> list[str]:
    """The places a route passes, in order (a place hosting several steps in a row once)."""
    seq = [route.origin] + [leg.to_id for leg in route.legs]
    return [x for i, x in enumerate(seq) if i == 0 or seq[i - 1] != x]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``corridors serve`` on a free port (the bundled network), once it answers health."""
    port = _free_port()
    env = {"CORRIDORS_SOLVER_TIME_LIMIT_S": "5", **os.environ}
    with log_path.open("wb") as log:  # the server writes to its own copy of the handle
        proc = subprocess.Popen(
            [sys.executable, "-m", "corridors.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start: {log_path.read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_server(tmp_path_factory.mktemp("server") / "server.log")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
