"""Capacity-constrained assignment of the yearly trade on the state graph, on OR-Tools.

System optimum (:func:`assign_lp`): every demand (tonnes per year of one commodity group
between two places) is routed at least total generalized cost (cost + value of time x time, per
tonne, from the cargo class that prices the group), subject to the capacities of borders, links
and ports.  Path-based LP solved by column generation: the master LP (OR-Tools MathOpt, GLOP)
over the paths found so far, with an unserved-demand variable per OD at a stated penalty; the
pricing step is one Dijkstra per origin and commodity on edge costs plus the capacity duals;
new paths enter while one has a negative reduced cost.  The master's duals are the shadow
prices: USD per tonne-year saved by one more tonne-year of capacity.  :func:`assign_link_lp`
solves the same problem as a link-based multicommodity LP (for cross-checks on small cases).

Behaviour (:func:`assign_logit`): a logit split over each OD's distinct route alternatives with
a stated dispersion, capacities enforced by prices (a price rises while its element is over
capacity and falls while it is under, by a bounded, shrinking step; the flows are the mean split
over the last half of the iterations), so shares are not all-or-nothing.  The result says
"not converged" when an element still carries more than its capacity (+5 %).

Units: tonnes per year, USD, USD per tonne.  Costs are per tonne of the commodity's cargo class.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.math_opt.python import mathopt
from scipy.sparse.csgraph import dijkstra

from corridors.deadline import check_deadline
from corridors.errors import RequestError, SolverError
from corridors.graph.compile import Filters, FloatArray
from corridors.graph.states import DST, SRC, EdgeKind, family
from corridors.routing import SURFACE_MODES, Router
from corridors.solvers.paths import masked_csr
from corridors.trade.model import COMMODITY_CARGO, Capacity, Demand

__all__ = [
    "AssignmentResult",
    "PathFlow",
    "assign_link_lp",
    "assign_logit",
    "assign_lp",
    "element_edges",
]

log = logging.getLogger(__name__)

# USD per tonne of demand left unserved: far above any route's generalized cost per tonne in
# the region (a few hundred USD), so demand goes unserved only when no capacity is left.  A
# stated modelling choice, not a sourced figure; unserved tonnes are always reported.
UNSERVED_PENALTY_USD_PER_T = 10_000.0
OVER_CAPACITY_TOLERANCE = 0.05  # logit: the share over capacity still called converged
MAX_ITERATIONS = 200


@dataclass(frozen=True)
class PathFlow:
    """Tonnes per year of one demand on one path (edge indices of the compiled graph)."""

    demand: int
    edges: tuple[int, ...]
    t_per_yr: float
    cost_usd_per_t: float


@dataclass(frozen=True)
class AssignmentResult:
    method: str  # "lp" (system optimum by column generation), "link-lp", "logit"
    status: str
    objective_usd: float  # total generalized cost, unserved demand at its penalty
    paths: tuple[PathFlow, ...]
    unserved_t: tuple[float, ...]  # per demand
    element_flow_t: dict[str, float]
    element_capacity_t: dict[str, float]
    shadow_price_usd_per_t: dict[str, float]  # per extra tonne-year of capacity (>= 0)
    iterations: int
    columns: int
    elapsed_s: float
    notes: tuple[str, ...] = field(default_factory=tuple)


def _weights(router: Router, commodity: str, risk_profile: str = "none") -> FloatArray:
    """Generalized cost per tonne of every edge for one commodity group, with the priced risk
    of a shipper profile (none: no risk)."""
    if commodity not in COMMODITY_CARGO:
        raise RequestError(f"unknown commodity group {commodity!r}")
    cargo = COMMODITY_CARGO[commodity]
    p = router.network.params.cargo[cargo]
    g = router.graph
    per_t = 1.0 / p.tonnes_per_unit
    risk = router.pricing_of(risk_profile)
    money = g.cost_usd[cargo] if risk is None else g.cost_usd[cargo] + risk.usd(cargo)
    return np.asarray((money + p.value_of_time_usd_per_unit_h * g.time_h) * per_t, dtype=np.float64)


def element_edges(router: Router, cap: Capacity) -> np.ndarray:
    """Edge indices whose use counts against a capacity."""
    g = router.graph
    if cap.element_type in ("border", "link"):
        edges = g.ref_edges.get(cap.element)
        if edges is None:
            raise RequestError(f"capacity element {cap.element!r} is no link or crossing")
        return edges
    if cap.element not in router.network.locations:
        raise RequestError(f"capacity element {cap.element!r} is no place")
    out = []
    for i, e in enumerate(g.edges):
        states = (family(e.tail[1]), family(e.head[1]))
        if e.is_vehicle_ferry and cap.element in (e.tail[0], e.head[0]):
            out.append(i)  # a ro-ro or rail ferry calling there
        elif e.ref == cap.element and (
            e.kind == EdgeKind.TRANSSHIPMENT
            or (e.kind in (EdgeKind.TRANSFER, EdgeKind.LOAD, EdgeKind.UNLOAD) and "sea" in states)
        ):
            out.append(i)
    return np.asarray(out, dtype=np.int64)


class _Instance:
    """The compiled pieces every method shares: masks, weights, capacity incidence."""

    def __init__(
        self,
        router: Router,
        demands: Sequence[Demand],
        capacities: Sequence[Capacity],
        risk_profile: str = "none",
    ):
        if not demands:
            raise RequestError("no demand to assign")
        self.router = router
        g = router.graph
        self.mask = router.graph.mask(Filters(modes=frozenset(SURFACE_MODES)))
        self.demands = list(demands)
        self.capacities = list(capacities)
        commodities = {d.commodity for d in demands}
        self.weights = {c: _weights(router, c, risk_profile) for c in commodities}
        self.src = [g.node_index[(router.resolve(d.origin), SRC)] for d in demands]
        self.dst = [g.node_index[(router.resolve(d.destination), DST)] for d in demands]
        self.edge_elements: dict[int, list[int]] = defaultdict(list)
        for j, cap in enumerate(self.capacities):
            if not (cap.t_per_yr >= 0 and math.isfinite(cap.t_per_yr)):
                raise RequestError(f"capacity of {cap.element} must be a finite number >= 0")
            for e in element_edges(router, cap).tolist():
                self.edge_elements[e].append(j)

    def price_weights(self, commodity: str, prices: np.ndarray) -> FloatArray:
        w = self.weights[commodity].copy()
        for e, elements in self.edge_elements.items():
            w[e] += float(sum(prices[j] for j in elements))
        return w

    def shortest(
        self, commodity: str, prices: np.ndarray, demand_ids: list[int]
    ) -> dict[int, list[int] | None]:
        """Least-cost path (under the capacity prices) for each demand of one commodity."""
        w = self.price_weights(commodity, prices)
        matrix, edge_ids = masked_csr(self.router.graph, w, self.mask)
        g = self.router.graph
        tails = np.repeat(np.arange(g.n_nodes), np.diff(matrix.indptr))
        edge_of = dict(
            zip(
                zip(tails.tolist(), matrix.indices.tolist(), strict=True),
                edge_ids.tolist(),
                strict=True,
            )
        )
        out: dict[int, list[int] | None] = {}
        by_source: dict[int, list[int]] = defaultdict(list)
        for k in demand_ids:
            by_source[self.src[k]].append(k)
        for s, ks in by_source.items():
            dist, pred = dijkstra(matrix, directed=True, indices=s, return_predecessors=True)
            for k in ks:
                t = self.dst[k]
                if not np.isfinite(dist[t]):
                    out[k] = None
                    continue
                path, node = [], t
                while node != s:
                    prev = int(pred[node])
                    path.append(edge_of[(prev, node)])
                    node = prev
                out[k] = path[::-1]
        return out

    def path_cost(self, k: int, path: Sequence[int]) -> float:
        return float(np.sum(self.weights[self.demands[k].commodity][list(path)]))

    def path_elements(self, path: Sequence[int]) -> dict[int, int]:
        use: dict[int, int] = defaultdict(int)
        for e in path:
            for j in self.edge_elements.get(e, ()):
                use[j] += 1
        return use


def _master(
    inst: _Instance, columns: list[tuple[int, tuple[int, ...]]]
) -> tuple[float, list[float], list[float], list[float], np.ndarray]:
    """Solve the master LP; return objective, column flows, unserved, demand duals and
    capacity prices (>= 0, USD per tonne)."""
    model = mathopt.Model(name="corridors_assignment")
    x = [model.add_variable(lb=0.0, name=f"x{i}") for i in range(len(columns))]
    u = [model.add_variable(lb=0.0, name=f"u{k}") for k in range(len(inst.demands))]
    by_demand: dict[int, list[int]] = defaultdict(list)
    by_element: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, (k, path) in enumerate(columns):
        by_demand[k].append(i)
        for j, n in inst.path_elements(path).items():
            by_element[j].append((i, n))
    demand_rows = [
        model.add_linear_constraint(
            mathopt.fast_sum([x[i] for i in by_demand[k]] + [u[k]]) == d.t_per_yr, name=f"d{k}"
        )
        for k, d in enumerate(inst.demands)
    ]
    cap_rows = {
        j: model.add_linear_constraint(
            mathopt.fast_sum(n * x[i] for i, n in terms) <= inst.capacities[j].t_per_yr,
            name=f"c{j}",
        )
        for j, terms in by_element.items()
    }
    costs = [inst.path_cost(k, path) for k, path in columns]
    model.minimize(
        mathopt.fast_sum(c * v for c, v in zip(costs, x, strict=True))
        + mathopt.fast_sum(UNSERVED_PENALTY_USD_PER_T * v for v in u)
    )
    result = mathopt.solve(model, mathopt.SolverType.GLOP)
    if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
        raise SolverError(
            f"assignment LP ended with {result.termination.reason.name}",
            status=result.termination.reason.name.lower(),
        )
    values = result.variable_values()
    duals = result.dual_values()
    prices = np.zeros(len(inst.capacities))
    for j, row in cap_rows.items():
        prices[j] = max(0.0, -float(duals[row]))
    return (
        float(result.objective_value()),
        [float(values[v]) for v in x],
        [float(values[v]) for v in u],
        [float(duals[r]) for r in demand_rows],
        prices,
    )


def assign_lp(
    router: Router,
    demands: Sequence[Demand],
    capacities: Sequence[Capacity] = (),
    *,
    max_iterations: int = MAX_ITERATIONS,
    risk_profile: str = "none",
) -> AssignmentResult:
    """System-optimal assignment by column generation (exact at convergence); with a shipper
    ``risk_profile`` its priced risks count in the generalized cost."""
    started = time.perf_counter()
    inst = _Instance(router, demands, capacities, risk_profile)
    prices = np.zeros(len(inst.capacities))
    columns: list[tuple[int, tuple[int, ...]]] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()
    by_commodity: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(inst.demands):
        by_commodity[d.commodity].append(k)
    notes: list[str] = []
    status = "optimal"
    iterations = 0
    duals: list[float] | None = None
    objective = 0.0
    flows: list[float] = []
    unserved = [d.t_per_yr for d in inst.demands]
    while True:
        check_deadline()
        added = 0
        for commodity, ks in by_commodity.items():
            priced_w = inst.price_weights(commodity, prices)
            for k, path in inst.shortest(commodity, prices, ks).items():
                if path is None or (k, tuple(path)) in seen:
                    continue
                reduced = float(np.sum(priced_w[path])) - (duals[k] if duals else math.inf)
                if duals is not None and reduced >= -1e-7 * max(1.0, abs(duals[k])):
                    continue  # no negative reduced cost: the master cannot improve with it
                seen.add((k, tuple(path)))
                columns.append((k, tuple(path)))
                added += 1
        if not columns:
            raise RequestError("no demand can be routed on the network")
        if not added and duals is not None:
            break
        objective, flows, unserved, duals, prices = _master(inst, columns)
        iterations += 1
        if iterations >= max_iterations:
            status = "iteration_limit"
            notes.append(f"column generation stopped after {iterations} iterations")
            break
    paths = tuple(
        PathFlow(k, path, f, inst.path_cost(k, path))
        for (k, path), f in zip(columns, flows, strict=True)
        if f > 1e-6
    )
    return _result(
        inst,
        "lp",
        status,
        objective,
        paths,
        unserved,
        prices,
        iterations,
        len(columns),
        started,
        notes,
    )


def _result(
    inst: _Instance,
    method: str,
    status: str,
    objective: float,
    paths: tuple[PathFlow, ...],
    unserved: Sequence[float],
    prices: np.ndarray,
    iterations: int,
    columns: int,
    started: float,
    notes: Sequence[str],
) -> AssignmentResult:
    flow: dict[int, float] = defaultdict(float)
    for pf in paths:
        for j, n in inst.path_elements(pf.edges).items():
            flow[j] += n * pf.t_per_yr
    names = [c.element for c in inst.capacities]
    return AssignmentResult(
        method=method,
        status=status,
        objective_usd=objective,
        paths=paths,
        unserved_t=tuple(max(0.0, u) for u in unserved),
        element_flow_t={names[j]: flow.get(j, 0.0) for j in range(len(names))},
        element_capacity_t={c.element: c.t_per_yr for c in inst.capacities},
        shadow_price_usd_per_t={names[j]: float(prices[j]) for j in range(len(names))},
        iterations=iterations,
        columns=columns,
        elapsed_s=time.perf_counter() - started,
        notes=tuple(notes),
    )


def assign_link_lp(
    router: Router, demands: Sequence[Demand], capacities: Sequence[Capacity] = ()
) -> AssignmentResult:
    """The same system optimum as a link-based multicommodity LP (one flow per demand and
    edge): the cross-check of :func:`assign_lp`; sized for small networks."""
    started = time.perf_counter()
    inst = _Instance(router, demands, capacities)
    g = router.graph
    usable = np.flatnonzero(inst.mask).tolist()
    model = mathopt.Model(name="corridors_link_lp")
    f = {(k, e): model.add_variable(lb=0.0) for k in range(len(inst.demands)) for e in usable}
    u = [model.add_variable(lb=0.0) for _ in inst.demands]
    tail, head = g.tail.tolist(), g.head.tolist()
    for k, d in enumerate(inst.demands):
        balance: dict[int, list[mathopt.LinearExpression | mathopt.Variable]] = defaultdict(list)
        for e in usable:
            balance[tail[e]].append(f[(k, e)])
            balance[head[e]].append(-1.0 * f[(k, e)])
        for node, terms in balance.items():
            supply = (d.t_per_yr if node == inst.src[k] else 0.0) - (
                d.t_per_yr if node == inst.dst[k] else 0.0
            )
            extra = []
            if node == inst.src[k]:
                extra.append(u[k])
            if node == inst.dst[k]:
                extra.append(-1.0 * u[k])
            model.add_linear_constraint(mathopt.fast_sum(terms + extra) == supply)
    cap_rows = {}
    for j, cap in enumerate(inst.capacities):
        edges = [e for e in element_edges(router, cap).tolist() if inst.mask[e]]
        cap_rows[j] = model.add_linear_constraint(
            mathopt.fast_sum(f[(k, e)] for k in range(len(inst.demands)) for e in edges)
            <= cap.t_per_yr
        )
    model.minimize(
        mathopt.fast_sum(
            float(inst.weights[inst.demands[k].commodity][e]) * v for (k, e), v in f.items()
        )
        + mathopt.fast_sum(UNSERVED_PENALTY_USD_PER_T * v for v in u)
    )
    result = mathopt.solve(model, mathopt.SolverType.GLOP)
    if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
        raise SolverError("link LP not optimal", status=result.termination.reason.name.lower())
    duals = result.dual_values()
    prices = np.zeros(len(inst.capacities))
    for j, row in cap_rows.items():
        prices[j] = max(0.0, -float(duals[row]))
    values = result.variable_values()
    unserved = [float(values[v]) for v in u]
    return _result(
        inst,
        "link-lp",
        "optimal",
        float(result.objective_value()),
        (),
        unserved,
        prices,
        1,
        0,
        started,
        (),
    )


def _alternatives(inst: _Instance, alternatives: int) -> list[list[tuple[int, ...]]]:
    """Up to ``alternatives`` distinct paths per OD by the penalty method (each found path's
    edges cost 25 % more for the next search)."""
    zero = np.zeros(len(inst.capacities))
    options: list[list[tuple[int, ...]]] = []
    for k, d in enumerate(inst.demands):
        found: list[tuple[int, ...]] = []
        penalty = inst.weights[d.commodity].copy()
        for _ in range(alternatives):
            base = inst.weights
            inst.weights = {**base, d.commodity: penalty}
            path = inst.shortest(d.commodity, zero, [k])[k]
            inst.weights = base
            if path is None:
                break
            if tuple(path) not in found:
                found.append(tuple(path))
            penalty = penalty.copy()
            penalty[path] *= 1.25
        options.append(found)
    return options


class _LogitSplit:
    """Each OD's alternatives, their generalized costs and the capacities they use."""

    def __init__(self, inst: _Instance, options: list[list[tuple[int, ...]]], spread: float):
        self.inst, self.options, self.spread = inst, options, spread
        self.base_cost = [
            np.array([inst.path_cost(k, p) for p in opts]) for k, opts in enumerate(options)
        ]
        self.uses = [[inst.path_elements(p) for p in opts] for opts in options]

    def split(self, prices: np.ndarray) -> list[np.ndarray]:
        """Tonnes per alternative of each OD at these capacity prices."""
        out: list[np.ndarray] = []
        for k, opts in enumerate(self.options):
            if not opts:
                out.append(np.zeros(0))
                continue
            cost = self.base_cost[k] + np.array(
                [sum(prices[j] * n for j, n in use.items()) for use in self.uses[k]]
            )
            scale = self.spread * max(float(self.base_cost[k].min()), 1e-9)
            odds = np.exp(-(cost - cost.min()) / scale)
            out.append(self.inst.demands[k].t_per_yr * odds / odds.sum())
        return out

    def loads(self, flows: list[np.ndarray]) -> np.ndarray:
        """Tonnes through each capacity element."""
        load = np.zeros(len(self.inst.capacities))
        for k, uses in enumerate(self.uses):
            for i, use in enumerate(uses):
                for j, n in use.items():
                    load[j] += n * flows[k][i]
        return load


def assign_logit(
    router: Router,
    demands: Sequence[Demand],
    capacities: Sequence[Capacity] = (),
    *,
    spread: float = 0.10,
    alternatives: int = 4,
    iterations: int = 60,
    risk_profile: str = "none",
) -> AssignmentResult:
    """Logit split over distinct alternatives, capacities enforced by prices (dual ascent).

    ``spread``: a route dearer than the OD's cheapest by this share of the cheapest route's
    generalized cost gets e^-1 (37 %) of its odds.  A stated assumption, not an estimated
    parameter: no dispersion for the region's freight was found.  Alternatives per OD come from
    the penalty method (:func:`_alternatives`).

    The prices rise against the split they induce while an element is over capacity and fall
    while it is under, by a bounded, shrinking step (an element ten times over its capacity
    moves its price no more than one just over it: an unbounded step priced a small element out
    for good); the flows reported are the mean split over the last half of the iterations (the
    first, unpriced splits are left out).
    """
    if not 0 < spread <= 10:
        raise RequestError("spread must be in (0, 10]")
    started = time.perf_counter()
    inst = _Instance(router, demands, capacities, risk_profile)
    options = _alternatives(inst, alternatives)
    logit = _LogitSplit(inst, options, spread)
    base_cost = logit.base_cost
    prices = np.zeros(len(inst.capacities))
    caps = np.array([c.t_per_yr for c in inst.capacities])
    mean_cost = float(np.mean([c.min() for c in base_cost if c.size])) if base_cost else 1.0
    tail = max(1, iterations // 2)
    flows: list[np.ndarray] = [np.zeros(len(o)) for o in options]
    for it in range(1, iterations + 1):
        check_deadline()
        target = logit.split(prices)
        if it > iterations - tail:
            flows = [f + t / tail for f, t in zip(flows, target, strict=True)]
        load = logit.loads(target)
        with np.errstate(divide="ignore", invalid="ignore"):
            over = np.where(
                caps > 0, (load - caps) / np.maximum(caps, 1e-9), np.where(load > 0, 1.0, -1.0)
            )
        prices = np.maximum(0.0, prices + mean_cost * np.clip(over, -1.0, 1.0) / it)
    excess = (logit.loads(flows) - caps) / np.maximum(caps, 1e-9)
    worst = int(np.argmax(excess)) if len(caps) else -1
    status = (
        "converged" if worst < 0 or excess[worst] <= OVER_CAPACITY_TOLERANCE else ("not converged")
    )
    paths = tuple(
        PathFlow(k, p, float(flows[k][i]), float(base_cost[k][i]))
        for k, opts in enumerate(options)
        for i, p in enumerate(opts)
        if flows[k][i] > 1e-6
    )
    unserved = [d.t_per_yr if not options[k] else 0.0 for k, d in enumerate(inst.demands)]
    objective = sum(
        pf.t_per_yr * pf.cost_usd_per_t for pf in paths
    ) + UNSERVED_PENALTY_USD_PER_T * sum(unserved)
    notes = [
        f"logit spread {spread:g}, {alternatives} alternatives per OD, {iterations} price "
        f"iterations (flows: the mean split over the last {tail})"
    ]
    if status != "converged":
        notes.append(
            f"{inst.capacities[worst].element} carries {100 * (1 + excess[worst]):.0f} % of its "
            "capacity "
            f"(tolerance {100 * OVER_CAPACITY_TOLERANCE:.0f} % over): more iterations may help"
        )
    return _result(
        inst,
        "logit",
        status,
        objective,
        paths,
        unserved,
        prices,
        iterations,
        sum(len(o) for o in options),
        started,
        notes,
    )
