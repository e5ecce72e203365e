"""Each corridor's best route again for many sets of factor values, on the compiled graph.

:class:`Evaluator` takes a comparison's request and its corridors with a route (ranked or
not competitive).  For each corridor and gate order it keeps the path problem's structure
(:class:`~corridors.solvers.reweight.Reweightable`); a set of factor values becomes per-edge
hours and USD (:class:`~corridors.uncertainty.factors.EdgeFactors`), objective weights, and
one Dijkstra per corridor and gate order.  Nothing is rebuilt per draw.

What a draw leaves out: the comparison's detour judgement (which corridors take part is
decided once, deterministically) and its simple-path search (a draw's best path may come
back to a place where the deterministic route needed a simple path; such draws are rare
and counted as they are).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from corridors.compare import compare, corridor_request
from corridors.deadline import check_deadline
from corridors.errors import RequestError
from corridors.request import RouteRequest
from corridors.routing import Router
from corridors.solvers.reweight import Reweightable
from corridors.uncertainty.factors import EdgeFactors
from corridors.uncertainty.model import UncertaintyModel, load_uncertainty, premium_factors

__all__ = [
    "OBJECTIVES_UNDER_UNCERTAINTY",
    "Evaluation",
    "Evaluator",
    "edge_factors",
    "uncertainty_model",
]

OBJECTIVES_UNDER_UNCERTAINTY = ("cost", "time", "generalized")
TAKING_PART = ("ranked", "not_competitive")


@dataclass(frozen=True)
class Evaluation:
    """Per draw (rows) and corridor (columns): whole-shipment hours, USD and objective."""

    time_h: np.ndarray
    cost_usd: np.ndarray
    objective: np.ndarray


_PER_ROUTER: WeakKeyDictionary[Router, dict[Any, Any]] = WeakKeyDictionary()


def _once(router: Router, key: Any, make: Callable[[], Any]) -> Any:
    """``make()`` computed once per router and key (a service builds it on its first request)."""
    per = _PER_ROUTER.setdefault(router, {})
    if key not in per:
        per[key] = make()
    return per[key]


def uncertainty_model(router: Router) -> UncertaintyModel:
    """The distributions beside the router's network (``uncertainty.toml``), read once."""
    model: UncertaintyModel = _once(router, "model", lambda: load_uncertainty(router.network))
    return model


def edge_factors(router: Router, cargo: str, names: tuple[str, ...]) -> EdgeFactors:
    """The per-edge split of hours and USD by factor group, built once per cargo class."""
    factors: EdgeFactors = _once(
        router, ("factors", cargo, names), lambda: EdgeFactors.build(router, cargo, names)
    )
    return factors


class Evaluator:
    def __init__(
        self,
        router: Router,
        base: RouteRequest,
        model: UncertaintyModel,
        corridor_ids: tuple[str, ...] = (),
    ) -> None:
        if base.objective not in OBJECTIVES_UNDER_UNCERTAINTY:
            raise RequestError(
                f"objective {base.objective!r} has no uncertain inputs; use one of "
                + ", ".join(OBJECTIVES_UNDER_UNCERTAINTY)
            )
        if any(x is not None for x in (base.max_hours, base.max_cost_usd, base.max_borders)):
            raise RequestError(
                "budgets (max hours, cost or borders) are not drawn under uncertainty; drop them"
            )
        self.comparison = compare(router, base, corridor_ids or None)
        self.base = base
        self.vot = router.value_of_time(base)
        # a shipper profile's priced risk counts in every draw's cost, as in the comparison;
        # a premium with a published range is also a factor of its own (``premium:<id>``)
        self.pricing = router.risk_pricing(base)
        self.risk_usd = None if self.pricing is None else self.pricing.usd(base.cargo)
        self.premiums = (
            {}
            if self.pricing is None
            else premium_factors(router.network, self.pricing.profile.premiums)
        )
        self.names = model.with_factors(self.premiums).names()
        self.factors = edge_factors(router, base.cargo, model.names())
        self._premium_usd = {
            self.names.index(name): self.pricing.usd_of(name.split(":", 1)[1], base.cargo)
            for name in self.premiums
            if self.pricing is not None
        }
        self.network = router.network
        self.corridors: list[str] = []
        self._problems: list[list[Reweightable]] = []
        loc = self.network.locations
        ends = [loc[router.resolve(x)].country for x in (base.origin, base.destination)]
        for res in self.comparison.results:
            if res.status not in TAKING_PART:
                continue
            c = res.corridor
            problems = []
            for gates in c.gate_orders(*ends):
                try:
                    problems.append(Reweightable(router.problem(corridor_request(base, c, gates))))
                except RequestError:
                    continue
            self.corridors.append(c.id)
            self._problems.append(problems)

    def crossing_countries(self, parameter: str) -> tuple[str, str]:
        """The two countries of a ``crossing:<id>`` parameter's border."""
        net, crossing = self.network, parameter.split(":", 1)[1]
        b = next(x for x in net.borders if x.id == crossing)
        return net.locations[b.from_id].country, net.locations[b.to_id].country

    def mode_row(self) -> np.ndarray:
        """Every factor at 1 (the model's own figures)."""
        return np.ones(len(self.names))

    def evaluate(
        self,
        rows: np.ndarray,
        vot: float | None = None,
        extra_h: np.ndarray | None = None,
        extra_usd: np.ndarray | None = None,
    ) -> Evaluation:
        """Each corridor's best route for each row of factor values ``(draws, groups)``;
        ``extra_h`` and ``extra_usd`` add hours and USD per unit on each edge to every row (one
        crossing's dwell moved, one risk premium moved)."""
        vot = self.vot if vot is None else vot
        rows = np.atleast_2d(rows)
        times, costs = self.factors.figures(rows[:, : len(self.factors.names)])
        for i, usd in self._premium_usd.items():  # a drawn premium: its share above or below 1
            costs = costs + np.outer(rows[:, i] - 1.0, usd)
        if extra_h is not None:
            times = times + extra_h
        shape = (times.shape[0], len(self.corridors))
        t_out, c_out = np.full(shape, np.inf), np.full(shape, np.inf)
        q = self.base.quantity
        per_dwell_h = {"cost": 0.0, "time": 1.0, "generalized": vot}[self.base.objective]
        for d in range(shape[0]):
            check_deadline()  # a service request stops at its deadline (504), not later
            t, c = times[d], costs[d]
            if self.risk_usd is not None:
                c = c + self.risk_usd
            if extra_usd is not None:
                c = c + extra_usd
            weights = {"cost": c, "time": t, "generalized": c + vot * t}[self.base.objective]
            for j, problems in enumerate(self._problems):
                best = np.inf
                for prob in problems:
                    path = prob.path(weights)
                    if path is None:
                        continue
                    w = float(weights[path].sum()) + per_dwell_h * prob.dwell_h
                    if w < best:
                        best = w
                        t_out[d, j] = float(t[path].sum()) + prob.dwell_h
                        c_out[d, j] = float(c[path].sum()) * q
        objective = {
            "cost": c_out,
            "time": t_out,
            "generalized": c_out + vot * q * t_out,
        }[self.base.objective]
        return Evaluation(t_out, c_out, objective)
