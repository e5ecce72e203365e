"""Shared fixtures: the tiny hand-built network with known answers, and the bundled network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridors.data import default_data_dir, load_network
from corridors.model import Network
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
