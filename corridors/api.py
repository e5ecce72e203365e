"""The Python entry points: plain functions over a network loaded once per data directory.

>>> import corridors
>>> r = corridors.route("Tashkent", "Bandar Abbas", objective="generalized")
>>> r.summary.cost_usd, r.summary.time_days
>>> cmp = corridors.compare("Almaty", "Istanbul", risk_profile="western-shipper")
>>> cmp.to_frame()            # one row per corridor (pandas), or cmp.to_csv()
>>> cells = corridors.matrix(["Almaty", "Tashkent"], ["Tehran", "Istanbul"])
>>> run = corridors.scenario("sanctions_relief_iran")

Every function takes the request's options as keywords, as the CLI's options (see
:class:`~corridors.request.RouteRequest`: ``objective``, ``cargo``, ``quantity``, ``modes``,
``exclude_countries``, ``via``, ``max_hours``, ``risk_profile``, ``avoid_sanctioned``...) and
``data_dir`` (default: the bundled network); the network is loaded and compiled on first use and
kept.  Results (:mod:`corridors.results`) have ``.to_dict()``, ``.to_geojson()`` (for routes),
``.to_frame()`` (pandas) and ``.to_csv()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from corridors.criticality import Criticality
from corridors.request import request_from_options
from corridors.results import (
    AlternativesResult,
    ComparisonResult,
    MatrixResult,
    ParetoFrontier,
    RouteResult,
    ScenarioResult,
)
from corridors.routing import Router

__all__ = [
    "alternatives",
    "compare",
    "criticality",
    "matrix",
    "pareto",
    "route",
    "router",
    "scenario",
]


@lru_cache(maxsize=4)
def _router(data_dir: str | None) -> Router:
    from corridors.data import load_network

    return Router(load_network(Path(data_dir) if data_dir else None))


def router(data_dir: str | Path | None = None) -> Router:
    """The router of a data directory (the bundled network by default), built once."""
    return _router(str(data_dir) if data_dir else None)


def route(
    origin: str, destination: str, *, data_dir: str | Path | None = None, **options: Any
) -> RouteResult:
    """The best route.

    Parameters
    ----------
    origin, destination
        Place names, ids, aliases or codes.
    data_dir
        The network (default: the bundled one).
    **options
        :class:`~corridors.request.RouteRequest` fields, e.g. ``objective="generalized"``,
        ``exclude_countries=["RU"]``, ``risk_profile="western-shipper"``.

    Returns
    -------
    RouteResult
        ``.summary``, ``.legs``, ``.events``, ``.risk``; ``.to_geojson()``, ``.to_frame()``.

    Raises
    ------
    corridors.errors.RequestError
        A bad option or an unknown place (with suggestions).
    corridors.errors.NoRouteError
        No route; :class:`~corridors.errors.InfeasibleError` names the rules that block it.
    """
    req = request_from_options({"origin": origin, "destination": destination, **options})
    r = router(data_dir)
    return RouteResult(r.route(req), r.network)


def pareto(
    origin: str,
    destination: str,
    *,
    include_co2: bool = False,
    epsilon: float = 0.0,
    data_dir: str | Path | None = None,
    **options: Any,
) -> ParetoFrontier:
    """The cost/time (and CO2) Pareto frontier, cheapest first.

    Parameters
    ----------
    include_co2
        Add CO2 as a third criterion.
    epsilon
        Thin points within this relative share of each other.
    **options
        As for :func:`route`.
    """
    req = request_from_options({"origin": origin, "destination": destination, **options})
    r = router(data_dir)
    return ParetoFrontier(r.pareto(req, include_co2=include_co2, epsilon=epsilon), r.network)


def compare(
    origin: str,
    destination: str,
    *,
    corridors: Sequence[str] | None = None,
    data_dir: str | Path | None = None,
    **options: Any,
) -> ComparisonResult:
    """Every corridor's best route and Iran against the alternatives.

    Parameters
    ----------
    corridors
        Corridor ids to compare (default: all of ``network_data/corridors.toml``).
    **options
        As for :func:`route`; ``objective`` defaults to ``generalized``.

    Returns
    -------
    ComparisonResult
        ``.results`` (ranked rows), ``.best_overall``, ``.best_through_iran``, ``.delta``;
        ``.to_frame()`` has one row per corridor.
    """
    from corridors.compare import compare as _compare

    options.setdefault("objective", "generalized")
    req = request_from_options({"origin": origin, "destination": destination, **options})
    r = router(data_dir)
    return ComparisonResult(_compare(r, req, corridors), r.network)


def alternatives(
    origin: str,
    destination: str,
    *,
    k: int = 5,
    max_factor: float = 1.5,
    data_dir: str | Path | None = None,
    **options: Any,
) -> AlternativesResult:
    """Up to ``k`` routes that differ in their crossings or sea links, best first.

    Parameters
    ----------
    k
        How many routes at most.
    max_factor
        Keep routes within this x the best route's objective.
    **options
        As for :func:`route`; ``objective`` defaults to ``generalized``.
    """
    from corridors.alternatives import alternatives as _alternatives

    options.setdefault("objective", "generalized")
    req = request_from_options({"origin": origin, "destination": destination, **options})
    r = router(data_dir)
    return AlternativesResult(_alternatives(r, req, k=k, max_factor=max_factor), r.network)


def matrix(
    origins: Sequence[str],
    destinations: Sequence[str],
    *,
    with_corridors: bool = False,
    data_dir: str | Path | None = None,
    **options: Any,
) -> MatrixResult:
    """Skims (objective, cost, time, km, CO2, borders, Iran's share) for every origin x
    destination, one shortest-path tree per origin.

    Parameters
    ----------
    with_corridors
        Name the corridors each path follows (slower).
    **options
        As for :func:`route` (exclusions and the objective apply; budgets do not).
    """
    from corridors.matrix import od_matrix

    options.setdefault("objective", "generalized")
    base = request_from_options({"origin": origins[0], "destination": destinations[0], **options})
    cells = od_matrix(router(data_dir), origins, destinations, base, with_corridors=with_corridors)
    return MatrixResult(cells)


def scenario(name_or_path: str | Path, *, data_dir: str | Path | None = None) -> ScenarioResult:
    """Run a scenario against the baseline.

    Parameters
    ----------
    name_or_path
        A bundled scenario's name (``"sanctions_relief_iran"``; see
        ``network_data/scenarios/``) or the path of a scenario TOML file.

    Returns
    -------
    ScenarioResult
        ``.results``: baseline, scenario and their difference per query; ``.to_frame()``.
    """
    from corridors.scenarios import load_scenario, run_scenario
    from corridors.views.comparison import scenario_result_dict

    r = router(data_dir)
    path = Path(name_or_path)
    if not path.suffix and r.network.data_dir is not None:
        path = r.network.data_dir / "scenarios" / f"{path.name}.toml"
    sc = load_scenario(path, r)
    results = [scenario_result_dict(x) for x in run_scenario(r, sc)]
    return ScenarioResult(sc.id, sc.name, results)


def criticality(
    pairs: Sequence[tuple[str, str]],
    weights: Sequence[float] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> list[Criticality]:
    """Crossings, ports and ferry lines ranked by the loss over ``pairs`` when each closes."""
    from corridors.criticality import criticality as _criticality

    return _criticality(router(data_dir), pairs, weights)
