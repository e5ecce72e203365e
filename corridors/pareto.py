"""Post-processing of a cost/time Pareto frontier: budgets, thinning, value-of-time ranges.

Points are ``(criteria, path)`` pairs with criteria ``(cost_usd, time_h[, co2_kg])`` per unit
of cargo, sorted by cost.  The value of time is in USD per unit-hour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corridors.model import Route, SolverInfo

__all__ = [
    "ParetoPoint",
    "ParetoResult",
    "flip_values",
    "thin",
    "value_of_time_ranges",
    "within_budgets",
]

Found = list[tuple[tuple[float, ...], list[int]]]


@dataclass(frozen=True)
class ParetoPoint:
    """One non-dominated route.

    Attributes
    ----------
    flip_value_of_time_usd_per_unit_h
        Value of time above which this point beats the next cheaper one (None for the first).
    optimal_for_value_of_time
        The range of value of time over which this point minimises cost + value of time x
        time; None for a point optimal for no value of time (above the lower convex hull).
    """

    route: Route
    flip_value_of_time_usd_per_unit_h: float | None
    optimal_for_value_of_time: tuple[float, float] | None = None


@dataclass(frozen=True)
class ParetoResult:
    points: tuple[ParetoPoint, ...]
    criteria: tuple[str, ...]
    solver: SolverInfo


def within_budgets(
    crit: tuple[float, ...], max_cost_usd_per_unit: float | None, max_hours: float | None
) -> bool:
    if max_cost_usd_per_unit is not None and crit[0] > max_cost_usd_per_unit + 1e-9:
        return False
    return max_hours is None or crit[1] <= max_hours + 1e-9


def thin(found: Found, epsilon: float) -> Found:
    """Drop a point whose cost and time are both within ``epsilon`` (relative) of the last kept."""
    if epsilon <= 0 or not found:
        return found
    kept = [found[0]]
    for crit, path in found[1:]:
        last = kept[-1][0]
        if all(
            abs(c - b) <= epsilon * max(abs(b), 1e-9)
            for c, b in zip(crit[:2], last[:2], strict=True)
        ):
            continue
        kept.append((crit, path))
    return kept


def flip_values(points: list[tuple[float, float]]) -> list[float | None]:
    """For (cost, time) points sorted by cost: the value of time at which each beats the one
    before it (None for the first, or when it saves no time)."""
    out: list[float | None] = [None]
    for prev, cur in zip(points, points[1:], strict=False):
        saved_h = prev[1] - cur[1]
        out.append((cur[0] - prev[0]) / saved_h if saved_h > 0 else None)
    return out[: len(points)]


def value_of_time_ranges(points: list[tuple[float, float]]) -> list[tuple[float, float] | None]:
    """For (cost, time) points sorted by cost, the value-of-time range where each is optimal.

    The points optimal for some value of time v >= 0 (minimising cost + v x time) are the
    vertices of the frontier's lower convex hull; between two neighbouring vertices the
    choice flips at v = (extra cost) / (hours saved).
    """
    hull: list[int] = []
    for i, (c, t) in enumerate(points):  # cost ascending, time descending
        while len(hull) >= 2:
            (c1, t1), (c2, t2) = points[hull[-2]], points[hull[-1]]
            # drop the middle point if it lies on or above the segment hull[-2] -> i
            if (c2 - c1) * (t1 - t) >= (c - c1) * (t1 - t2):
                hull.pop()
            else:
                break
        hull.append(i)
    out: list[tuple[float, float] | None] = [None] * len(points)
    for k, i in enumerate(hull):
        low = 0.0 if k == 0 else _flip(points[hull[k - 1]], points[i])
        high = float("inf") if k == len(hull) - 1 else _flip(points[i], points[hull[k + 1]])
        # a point that saves no time over the cheaper one is optimal for no finite value
        out[i] = (low, high) if math.isfinite(low) and low < high else None
    return out


def _flip(cheaper: tuple[float, float], faster: tuple[float, float]) -> float:
    saved_h = cheaper[1] - faster[1]
    return (faster[0] - cheaper[0]) / saved_h if saved_h > 0 else float("inf")
