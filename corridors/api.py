"""The Python entry points: plain functions over a network loaded once per data directory.

>>> import corridors
>>> r = corridors.route("Tashkent", "Bandar Abbas", objective="generalized")
>>> r.summary.cost_usd, r.summary.time_days
>>> cmp = corridors.compare("Almaty", "Istanbul")
>>> cells = corridors.matrix(["Almaty", "Tashkent"], ["Tehran", "Istanbul"])

Every function takes the request's options as keywords (see
:class:`~corridors.request.RouteRequest`) and ``data_dir`` (default: the bundled network); the
network is loaded and compiled on first use and kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from corridors.alternatives import Alternative
from corridors.compare import Comparison
from corridors.criticality import Criticality
from corridors.matrix import MatrixCell
from corridors.model import Route
from corridors.pareto import ParetoResult
from corridors.request import request_from_options
from corridors.routing import Router

__all__ = ["alternatives", "compare", "criticality", "matrix", "pareto", "route", "router"]


@lru_cache(maxsize=4)
def _router(data_dir: str | None) -> Router:
    from corridors.data import load_network

    return Router(load_network(Path(data_dir) if data_dir else None))


def router(data_dir: str | Path | None = None) -> Router:
    """The router of a data directory (the bundled network by default), built once."""
    return _router(str(data_dir) if data_dir else None)


def route(
    origin: str, destination: str, *, data_dir: str | Path | None = None, **options: Any
) -> Route:
    """The best route; ``options`` as :class:`~corridors.request.RouteRequest` fields."""
    req = request_from_options({"origin": origin, "destination": destination, **options})
    return router(data_dir).route(req)


def pareto(
    origin: str,
    destination: str,
    *,
    include_co2: bool = False,
    epsilon: float = 0.0,
    data_dir: str | Path | None = None,
    **options: Any,
) -> ParetoResult:
    """The cost/time (and CO2) Pareto frontier."""
    req = request_from_options({"origin": origin, "destination": destination, **options})
    return router(data_dir).pareto(req, include_co2=include_co2, epsilon=epsilon)


def compare(
    origin: str,
    destination: str,
    *,
    corridors: Sequence[str] | None = None,
    data_dir: str | Path | None = None,
    **options: Any,
) -> Comparison:
    """Every corridor's best route and Iran against the alternatives (generalized cost by
    default)."""
    from corridors.compare import compare as _compare

    options.setdefault("objective", "generalized")
    req = request_from_options({"origin": origin, "destination": destination, **options})
    return _compare(router(data_dir), req, corridors)


def alternatives(
    origin: str,
    destination: str,
    *,
    k: int = 5,
    max_factor: float = 1.5,
    data_dir: str | Path | None = None,
    **options: Any,
) -> list[Alternative]:
    """Up to ``k`` routes that differ in their crossings or sea links, best first."""
    from corridors.alternatives import alternatives as _alternatives

    options.setdefault("objective", "generalized")
    req = request_from_options({"origin": origin, "destination": destination, **options})
    return _alternatives(router(data_dir), req, k=k, max_factor=max_factor)


def matrix(
    origins: Sequence[str],
    destinations: Sequence[str],
    *,
    with_corridors: bool = False,
    data_dir: str | Path | None = None,
    **options: Any,
) -> list[MatrixCell]:
    """Skims for every origin x destination (one shortest-path tree per origin)."""
    from corridors.matrix import od_matrix

    options.setdefault("objective", "generalized")
    base = request_from_options({"origin": origins[0], "destination": destinations[0], **options})
    return od_matrix(router(data_dir), origins, destinations, base, with_corridors=with_corridors)


def criticality(
    pairs: Sequence[tuple[str, str]],
    weights: Sequence[float] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> list[Criticality]:
    """Crossings, ports and ferry lines ranked by the loss over ``pairs`` when each closes."""
    from corridors.criticality import criticality as _criticality

    return _criticality(router(data_dir), pairs, weights)
