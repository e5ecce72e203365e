"""Types shared by every solver, and the one place where edge weights are resolved.

A solver takes a :class:`PathProblem` (compiled graph, edge mask, source and target nodes,
objective weights, side rules) and returns a :class:`PathResult` (edge indices in order, the
solver's name and status).  Costs are per unit of cargo; the routing layer scales by quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corridors.errors import RequestError
from corridors.graph.compile import BoolArray, CompiledGraph, FloatArray
from corridors.request import OBJECTIVES


def objective_weights(
    g: CompiledGraph,
    objective: str,
    cargo: str,
    value_of_time_usd_per_unit_h: float,
    risk_usd: FloatArray | None = None,
) -> FloatArray:
    """Per-edge weight of an objective for one unit of a cargo class; ``risk_usd`` (a
    profile's priced risk per edge) counts in ``cost`` and ``generalized``."""
    if objective in ("cost", "generalized"):
        money = g.cost_usd[cargo] if risk_usd is None else g.cost_usd[cargo] + risk_usd
        if objective == "cost":
            return money
        return money + value_of_time_usd_per_unit_h * g.time_h
    if objective == "time":
        return g.time_h
    if objective == "distance":
        return g.distance_km
    if objective == "co2":
        return g.co2_kg[cargo]
    raise RequestError(f"unknown objective {objective!r}; expected one of {', '.join(OBJECTIVES)}")


@dataclass(frozen=True)
class Stage:
    """A side rule met by reaching one of a set of nodes: a via point (in order, with dwell), a
    gate or a one-of set.  A place stands for all its nodes; "by sea" for its sea arrival node."""

    nodes: frozenset[int]  # state-graph node indices
    dwell_h: float = 0.0


@dataclass
class PathProblem:
    graph: CompiledGraph
    mask: BoolArray
    source: int
    target: int
    weights: FloatArray
    cost_usd: FloatArray  # per unit, for the cost budget
    max_time_h: float | None = None
    max_cost_usd: float | None = None  # per unit
    max_borders: int | None = None
    stages: list[Stage] = field(default_factory=list)  # passed in this order
    time_limit_s: float = 10.0
    simple: bool = False  # no location visited twice (label setting only)

    @property
    def has_side_rules(self) -> bool:
        budgets = (self.max_time_h, self.max_cost_usd, self.max_borders)
        return any(b is not None for b in budgets) or bool(self.stages) or self.simple


@dataclass(frozen=True)
class PathResult:
    edges: list[int]
    objective: float
    solver: str
    status: str  # "optimal" | "infeasible" | solver-specific
