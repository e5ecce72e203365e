"""Results of the Python API: the library's objects with ``.to_dict()``, ``.to_geojson()``,
``.to_frame()`` (if pandas is installed) and ``.to_csv()``.

Each wraps what the library computes (a :class:`~corridors.model.Route`, a
:class:`~corridors.compare.Comparison`...) with the network that answered, so that a route can
be drawn along its sea lanes.  The wrapped object is the attribute ``.value``; its own
attributes are reachable directly (``result.summary``, ``result.legs``...).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from corridors.alternatives import Alternative
from corridors.compare import Comparison
from corridors.geojson import route_geojson
from corridors.matrix import MatrixCell
from corridors.model import Network, Route, RouteSummary
from corridors.pareto import ParetoResult
from corridors.views.comparison import comparison_dict
from corridors.views.export import (
    alternatives_rows,
    comparison_rows,
    flat_rows,
    matrix_rows,
    route_rows,
    routes_geojson,
    scenario_rows,
    to_csv,
)
from corridors.views.routes import alternative_dict, pareto_point_dict, route_dict, summary_dict

__all__ = [
    "AlternativesResult",
    "ComparisonResult",
    "MatrixResult",
    "ParetoFrontier",
    "RouteResult",
    "ScenarioResult",
]


def _frame(rows: list[dict[str, Any]]) -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install pandas") from None
    return pd.DataFrame(rows)


class _Table(ABC):
    """Shared exports of a result with a flat table form."""

    @abstractmethod
    def rows(self) -> list[dict[str, Any]]:
        """The result as flat rows (one per leg, corridor, cell...)."""

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame (pandas must be installed)."""
        return _frame(self.rows())

    def to_csv(self) -> str:
        """The table as CSV text (lists joined with ``;``)."""
        return to_csv(self.rows())


@dataclass(frozen=True)
class RouteResult(_Table):
    """A best route.  ``.summary``, ``.legs``, ``.events``, ``.risk``... are the route's."""

    value: Route
    network: Network

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)

    @property
    def summary(self) -> RouteSummary:
        return self.value.summary

    def to_dict(self) -> dict[str, Any]:
        """The route as JSON-ready data, with its GeoJSON under ``geometry``."""
        return {**route_dict(self.value), "geometry": self.to_geojson()}

    def to_geojson(self) -> dict[str, Any]:
        """One LineString per leg (sea legs along their lanes), with the leg's figures."""
        return route_geojson(self.network, self.value)

    def rows(self) -> list[dict[str, Any]]:
        """One row per leg and event, in travel order."""
        return route_rows(route_dict(self.value))


@dataclass(frozen=True)
class ComparisonResult(_Table):
    """Every corridor's best route and Iran against the rest (``.results``, ``.best_overall``,
    ``.best_through_iran``, ``.delta``... are the comparison's)."""

    value: Comparison
    network: Network

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)

    def to_dict(self) -> dict[str, Any]:
        return comparison_dict(
            self.value, lambda r: {**route_dict(r), "geometry": route_geojson(self.network, r)}
        )

    def to_geojson(self) -> dict[str, Any]:
        """The legs of every corridor's route; ``route`` names the corridor."""
        drawn = [(r.corridor.id, r.route) for r in self.value.results if r.route]
        return routes_geojson(self.network, drawn)

    def rows(self) -> list[dict[str, Any]]:
        """One row per corridor, ranked."""
        return comparison_rows(comparison_dict(self.value))


@dataclass(frozen=True)
class AlternativesResult(_Table):
    """Distinct routes, best first; iterate for :class:`~corridors.alternatives.Alternative`."""

    value: list[Alternative]
    network: Network

    def __iter__(self) -> Iterator[Alternative]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __getitem__(self, i: int) -> Alternative:
        return self.value[i]

    def to_dict(self) -> list[dict[str, Any]]:
        return [alternative_dict(a) for a in self.value]

    def to_geojson(self) -> dict[str, Any]:
        labelled = [(f"alternative {i}", a.route) for i, a in enumerate(self.value, 1)]
        return routes_geojson(self.network, labelled)

    def rows(self) -> list[dict[str, Any]]:
        return alternatives_rows(self.to_dict())


@dataclass(frozen=True)
class MatrixResult(_Table):
    """Skims per origin-destination cell; iterate for :class:`~corridors.matrix.MatrixCell`."""

    value: list[MatrixCell]

    def __iter__(self) -> Iterator[MatrixCell]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def to_dict(self) -> list[dict[str, Any]]:
        return matrix_rows(self.value)

    def rows(self) -> list[dict[str, Any]]:
        return flat_rows(matrix_rows(self.value))


@dataclass(frozen=True)
class ParetoFrontier(_Table):
    """The non-dominated routes, cheapest first (``.points``, ``.criteria``)."""

    value: ParetoResult
    network: Network

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "criteria": list(self.value.criteria),
            "points": [pareto_point_dict(p) for p in self.value.points],
            "solver": asdict(self.value.solver),
        }

    def to_geojson(self) -> dict[str, Any]:
        labelled = [(f"point {i}", p.route) for i, p in enumerate(self.value.points, 1)]
        return routes_geojson(self.network, labelled)

    def rows(self) -> list[dict[str, Any]]:
        return flat_rows(
            [{"point": i, **summary_dict(p.route)} for i, p in enumerate(self.value.points, 1)]
        )


@dataclass(frozen=True)
class ScenarioResult(_Table):
    """A scenario against the baseline: one result per query (``scenario_result_dict``)."""

    scenario_id: str
    name: str
    results: Sequence[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario_id, "name": self.name, "results": list(self.results)}

    def rows(self) -> list[dict[str, Any]]:
        return scenario_rows(self.results)
