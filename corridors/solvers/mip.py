"""Best route under side rules as an arc-flow MIP, solved with OR-Tools MathOpt (HiGHS).

The state graph is copied once per stage layer (layer k: k of the ordered side rules met); a
switch variable moves the unit of flow up a layer at a node of the stage.  One unit
flows from the source (layer 0) to the target (last layer); budgets are linear constraints.
Every resource is non-negative, so cycles never help and the optimum is a simple path.

Used as the independent cross-check of :mod:`corridors.solvers.labels` and on request
(``solver="mip"``).  Steps: data, model, solve (with a time limit), check status, extract.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

import numpy as np
from ortools.math_opt.python import mathopt

from corridors.deadline import check_deadline, remaining_s
from corridors.errors import SolverError
from corridors.solvers.base import PathProblem, PathResult


def solve_mip(p: PathProblem) -> PathResult:
    """Optimal path for ``p`` by MIP; status 'infeasible' when no path meets the rules."""
    g = p.graph
    edges = np.flatnonzero(p.mask & np.isfinite(p.weights)).tolist()
    n_layers = len(p.stages) + 1
    model = mathopt.Model(name="corridors_route")
    x = {
        (k, e): model.add_binary_variable(name=f"x_{k}_{e}") for k in range(n_layers) for e in edges
    }
    switch = {}
    for k, stage in enumerate(p.stages):
        for v in sorted(stage.nodes):
            switch[(k, v)] = model.add_binary_variable(name=f"s_{k}_{v}")
    balance: dict[tuple[int, int], list[tuple[float, mathopt.Variable]]] = defaultdict(list)
    tail, head = g.tail.tolist(), g.head.tolist()
    for (k, e), var in x.items():
        balance[(k, tail[e])].append((1.0, var))
        balance[(k, head[e])].append((-1.0, var))
    for (k, v), var in switch.items():
        balance[(k, v)].append((1.0, var))
        balance[(k + 1, v)].append((-1.0, var))
    for (k, v), terms in balance.items():
        supply = (1.0 if (k, v) == (0, p.source) else 0.0) - (
            1.0 if (k, v) == (n_layers - 1, p.target) else 0.0
        )
        model.add_linear_constraint(mathopt.fast_sum(c * var for c, var in terms) == supply)
    if (0, p.source) not in balance or (n_layers - 1, p.target) not in balance:
        return PathResult([], float("inf"), "mip", "infeasible")
    weights, time_h, cost, borders = (
        p.weights.tolist(),
        g.time_h.tolist(),
        p.cost_usd.tolist(),
        g.borders.tolist(),
    )
    if p.max_time_h is not None:
        dwell = mathopt.fast_sum(p.stages[k].dwell_h * var for (k, _), var in switch.items())
        model.add_linear_constraint(
            mathopt.fast_sum(time_h[e] * var for (_, e), var in x.items()) + dwell <= p.max_time_h
        )
    if p.max_cost_usd is not None:
        model.add_linear_constraint(
            mathopt.fast_sum(cost[e] * var for (_, e), var in x.items()) <= p.max_cost_usd
        )
    if p.max_borders is not None:
        model.add_linear_constraint(
            mathopt.fast_sum(borders[e] * var for (_, e), var in x.items()) <= p.max_borders
        )
    model.minimize(mathopt.fast_sum(weights[e] * var for (_, e), var in x.items()))
    left = remaining_s()
    limit_s = p.time_limit_s if left is None else max(0.01, min(p.time_limit_s, left))
    params = mathopt.SolveParameters(time_limit=datetime.timedelta(seconds=limit_s))
    result = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
    reason = result.termination.reason
    if reason in (
        mathopt.TerminationReason.INFEASIBLE,
        mathopt.TerminationReason.INFEASIBLE_OR_UNBOUNDED,
    ):
        return PathResult([], float("inf"), "mip", "infeasible")
    if reason != mathopt.TerminationReason.OPTIMAL:
        check_deadline()  # the request's deadline cut the solve short: say so
        raise SolverError(f"MIP route solve ended with {reason.name}", status=reason.name.lower())
    values = result.variable_values()
    chosen = {key for key, var in x.items() if values[var] > 0.5}
    ups = {key for key, var in switch.items() if values[var] > 0.5}
    path = _walk(chosen, ups, tail, head, p.source, p.target, n_layers)
    return PathResult(path, float(result.objective_value()), "mip", "optimal")


def _walk(
    chosen: set[tuple[int, int]],
    ups: set[tuple[int, int]],
    tail: list[int],
    head: list[int],
    source: int,
    target: int,
    n_layers: int,
) -> list[int]:
    """Follow the chosen arcs from the source; skips any disconnected zero-cost cycle."""
    out: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, e in chosen:
        out[(k, tail[e])].append(e)
    path: list[int] = []
    k, v = 0, source
    while (k, v) != (n_layers - 1, target):
        if (k, v) in ups:
            ups.discard((k, v))
            k += 1
            continue
        if not out[(k, v)]:
            raise SolverError("MIP solution is not a connected path", status="bad_solution")
        e = out[(k, v)].pop()
        path.append(e)
        v = head[e]
    return path
