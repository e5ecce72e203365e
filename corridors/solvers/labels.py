"""Exact multi-criteria label setting: budgeted best routes and Pareto frontiers.

A label is a partial path: its criteria vector, its node, its stage (how many of the ordered
side rules -- via points, "one of" sets -- it has met) and its parent.  Labels at the same
(node, stage) are kept only while no other label is at least as good in every criterion.
Labels leave the queue in order of criterion 0 plus an exact lower bound of what remains
(reverse Dijkstra, which is consistent), so:

- :func:`best_under_budgets` returns the first label that reaches the target having met every
  stage: the optimum of the objective subject to the budgets (time, cost, border crossings);
- :func:`pareto_frontier` keeps every target label not dominated by an earlier one: the exact
  non-dominated set for the criteria given (cost and time, optionally CO2).

Budgets prune with the same lower bounds: a label that cannot reach the target within a budget
is dropped.  For simple paths (``PathProblem.simple``) a label also carries the set of places it
has used, never enters a place it has left, and dominates another only with a subset of its
places (exact elementary search).  Every search stops with :class:`SolverError` at its time
limit.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from corridors.deadline import check_deadline
from corridors.errors import SolverError
from corridors.graph.compile import BoolArray, CompiledGraph, FloatArray
from corridors.solvers.base import PathProblem, PathResult, Stage
from corridors.solvers.paths import distances_to


@dataclass
class _Label:
    crit: tuple[float, ...]
    node: int
    stage: int
    edge: int  # edge that led here (-1 at the source)
    parent: _Label | None
    alive: bool = True
    visited: int = 0  # bit set of the locations on the path (only for simple paths)


class _Search:
    """Adjacency and per-(node, stage) label sets shared by both searches."""

    def __init__(
        self,
        g: CompiledGraph,
        mask: BoolArray,
        crit_arrays: Sequence[FloatArray],
        stages: Sequence[Stage],
        time_limit_s: float,
        simple: bool = False,
        max_pops: int | None = None,
    ) -> None:
        self.simple = simple
        self.max_pops = max_pops
        self.node_loc = g.node_loc.tolist()
        self.usable = mask.tolist()
        self.heads = g.head.tolist()
        self.crits = [a.tolist() for a in crit_arrays]
        self.indptr = np.searchsorted(g.tail, np.arange(g.n_nodes + 1)).tolist()
        self.stages = list(stages)
        self.bags: dict[tuple[int, int], list[_Label]] = {}
        self.deadline = time.monotonic() + time_limit_s
        self.pops = 0

    def check_time(self) -> None:
        self.pops += 1
        if self.max_pops is not None and self.pops > self.max_pops:
            raise SolverError("label-setting search hit its label budget", status="label_limit")
        if self.pops % 2048 == 0:
            check_deadline()
            if time.monotonic() > self.deadline:
                raise SolverError("label-setting search hit its time limit", status="time_limit")

    def advance(self, stage: int, node: int) -> int:
        while stage < len(self.stages) and node in self.stages[stage].nodes:
            stage += 1
        return stage

    def insert(self, label: _Label) -> bool:
        """Add a label to its bag unless dominated; retire labels it dominates."""
        bag = self.bags.setdefault((label.node, label.stage), [])
        crit, seen = label.crit, label.visited
        for other in bag:  # on simple paths a label dominates only with fewer places used
            if other.visited & ~seen == 0 and all(
                o <= c for o, c in zip(other.crit, crit, strict=True)
            ):
                return False
        keep = []
        for other in bag:
            if seen & ~other.visited == 0 and all(
                c <= o for c, o in zip(crit, other.crit, strict=True)
            ):
                other.alive = False
            else:
                keep.append(other)
        keep.append(label)
        self.bags[(label.node, label.stage)] = keep
        return True

    def extend(
        self, label: _Label, dwell: Sequence[float], time_index: int | None
    ) -> Iterator[_Label]:
        """Yield the labels one edge beyond ``label``."""
        here = self.node_loc[label.node]
        for e in range(self.indptr[label.node], self.indptr[label.node + 1]):
            if not self.usable[e]:
                continue
            head = self.heads[e]
            visited = 0
            if self.simple:
                there = self.node_loc[head]
                if there != here and (label.visited >> there) & 1:
                    continue  # a place already left behind: no place is visited twice
                visited = label.visited | (1 << there)
            crit = [c + arr[e] for c, arr in zip(label.crit, self.crits, strict=True)]
            stage = self.advance(label.stage, head)
            if stage != label.stage and time_index is not None:
                crit[time_index] += sum(dwell[label.stage : stage])
            yield _Label(tuple(crit), head, stage, e, label, visited=visited)


def _path(label: _Label) -> list[int]:
    edges = []
    node: _Label | None = label
    while node is not None and node.edge >= 0:
        edges.append(node.edge)
        node = node.parent
    edges.reverse()
    return edges


def best_under_budgets(p: PathProblem, *, max_pops: int | None = None) -> PathResult:
    """Least-objective path meeting every budget and stage of ``p`` (exact).

    ``max_pops`` bounds the labels examined (a deterministic effort limit, beside the time
    limit); past it the search raises :class:`SolverError` with status ``label_limit``."""
    g = p.graph
    crit_arrays: list[FloatArray] = [p.weights]
    budgets: list[float] = [float("inf")]
    time_index = None
    if p.max_time_h is not None:  # via dwell only matters against a time budget
        time_index = len(crit_arrays)
        crit_arrays.append(g.time_h)
        budgets.append(p.max_time_h if p.max_time_h is not None else float("inf"))
    if p.max_cost_usd is not None:
        crit_arrays.append(p.cost_usd)
        budgets.append(p.max_cost_usd)
    if p.max_borders is not None:
        crit_arrays.append(g.borders.astype(np.float64))
        budgets.append(float(p.max_borders))
    bounds = [distances_to(g, a, p.mask, p.target).tolist() for a in crit_arrays]
    search = _Search(
        g, p.mask, crit_arrays, p.stages, p.time_limit_s, simple=p.simple, max_pops=max_pops
    )
    dwell = [s.dwell_h for s in p.stages]
    eps = 1e-9
    start_stage = search.advance(0, p.source)
    first = 1 << int(g.node_loc[p.source]) if p.simple else 0
    start = _Label(tuple(0.0 for _ in crit_arrays), p.source, start_stage, -1, None, visited=first)
    if not _within(start, bounds, budgets, eps):
        return PathResult([], float("inf"), "labels", "infeasible")
    search.insert(start)
    queue: list[tuple[float, int, _Label]] = [(bounds[0][p.source], 0, start)]
    counter = 1
    n_stages = len(p.stages)
    while queue:
        _, _, label = heapq.heappop(queue)
        if not label.alive:
            continue
        search.check_time()
        if label.node == p.target and label.stage == n_stages:
            return PathResult(_path(label), label.crit[0], "labels", "optimal")
        for nxt in search.extend(label, dwell, time_index):
            if not _within(nxt, bounds, budgets, eps) or not search.insert(nxt):
                continue
            heapq.heappush(queue, (nxt.crit[0] + bounds[0][nxt.node], counter, nxt))
            counter += 1
    return PathResult([], float("inf"), "labels", "infeasible")


def _within(label: _Label, bounds: list[list[float]], budgets: list[float], eps: float) -> bool:
    node = label.node
    for c, lb, cap in zip(label.crit, bounds, budgets, strict=True):
        if c + lb[node] > cap + eps:
            return False
    return True


def pareto_frontier(
    g: CompiledGraph,
    mask: BoolArray,
    source: int,
    target: int,
    criteria: Sequence[FloatArray],
    *,
    stages: Sequence[Stage] = (),
    time_limit_s: float = 10.0,
) -> list[tuple[tuple[float, ...], list[int]]]:
    """Every non-dominated (criteria vector, edge path) from ``source`` to ``target``.

    Criterion 0 orders the search; ties between equal vectors keep one path.
    """
    bounds = [distances_to(g, a, mask, target).tolist() for a in criteria]
    if not np.isfinite(bounds[0][source]):
        return []
    search = _Search(g, mask, criteria, stages, time_limit_s)
    dwell = [s.dwell_h for s in stages]
    time_index = 1 if stages and len(criteria) > 1 else None
    start_stage = search.advance(0, source)
    start = _Label(tuple(0.0 for _ in criteria), source, start_stage, -1, None)
    search.insert(start)
    queue: list[tuple[tuple[float, ...], int, _Label]] = [(_key(start, bounds), 0, start)]
    counter = 1
    found: list[_Label] = []
    while queue:
        key, _, label = heapq.heappop(queue)
        if not label.alive or _dominated(key, found):
            continue
        search.check_time()
        if label.node == target and label.stage == len(stages):
            found.append(label)
            continue
        for nxt in search.extend(label, dwell, time_index):
            nkey = _key(nxt, bounds)
            if not np.isfinite(nkey[0]) or _dominated(nkey, found) or not search.insert(nxt):
                continue
            heapq.heappush(queue, (nkey, counter, nxt))
            counter += 1
    return [(lab.crit, _path(lab)) for lab in found]


def _key(label: _Label, bounds: list[list[float]]) -> tuple[float, ...]:
    return tuple(c + b[label.node] for c, b in zip(label.crit, bounds, strict=True))


def _dominated(key: tuple[float, ...], found: list[_Label]) -> bool:
    eps = 1e-9
    return any(all(f <= k + eps for f, k in zip(lab.crit, key, strict=True)) for lab in found)
