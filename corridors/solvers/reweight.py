"""One path problem solved again and again with new edge weights (Monte Carlo draws).

:class:`~corridors.solvers.paths.LayeredPrepared` builds its matrix for one set of weights.
Here the layered structure (edges kept by the mask, one copy per stage layer, zero-weight
switches at stage nodes) is built once; a solve fills in the weights, keeps the lightest of
parallel edges (a minimum over each group of entries with the same ends) and runs one
Dijkstra.  The answer is the same least-weight path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors.graph.compile import FloatArray, IntArray
from corridors.solvers.base import PathProblem

__all__ = ["Reweightable"]


class Reweightable:
    """The structure of ``problem`` (mask, stages, source, target), solved with any weights."""

    def __init__(self, problem: PathProblem) -> None:
        g, n = problem.graph, problem.graph.n_nodes
        layers = len(problem.stages) + 1
        edge_ids = np.flatnonzero(problem.mask)
        rows, cols, refs = [], [], []
        for k in range(layers):
            rows.append(g.tail[edge_ids] + k * n)
            cols.append(g.head[edge_ids] + k * n)
            refs.append(edge_ids)
        for k, stage in enumerate(problem.stages):
            nodes = np.asarray(sorted(stage.nodes), dtype=np.int64)
            rows.append(nodes + k * n)
            cols.append(nodes + (k + 1) * n)
            refs.append(np.full(nodes.size, -1, dtype=np.int64))
        r, c, ref = np.concatenate(rows), np.concatenate(cols), np.concatenate(refs)
        source, goal = problem.source, problem.target + (layers - 1) * n
        r, c, ref, nodes = _useful(r, c, ref, n * layers, source, goal)
        n_kept = nodes.size
        self._source = int(np.searchsorted(nodes, source)) if n_kept else 0
        self._goal = int(np.searchsorted(nodes, goal)) if n_kept else 0
        order = np.lexsort((c, r))
        r, c, self._ref = r[order], c[order], ref[order]
        first = np.ones(r.size, dtype=bool)
        first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
        self._starts: IntArray = np.flatnonzero(first)
        unique_rows = r[self._starts]
        self._indices = c[self._starts]
        self._indptr = np.zeros(n_kept + 1, dtype=np.int64)
        np.cumsum(np.bincount(unique_rows, minlength=n_kept), out=self._indptr[1:])
        pairs = zip(unique_rows.tolist(), self._indices.tolist(), strict=True)
        self._group = {pair: i for i, pair in enumerate(pairs)}
        self._ends = np.append(self._starts[1:], r.size)
        self._single = (self._ends - self._starts == 1).tolist()
        self._take = np.maximum(self._ref, 0)
        self._is_switch = self._ref < 0
        self._shape = (n_kept, n_kept)
        self._empty = n_kept == 0
        self.dwell_h = float(sum(s.dwell_h for s in problem.stages))

    def path(self, weights: FloatArray) -> list[int] | None:
        """Edge indices of a least-weight path under ``weights``; None if unreachable."""
        if self._empty:
            return None
        data = weights[self._take]
        data[self._is_switch] = 0.0
        lightest = np.minimum.reduceat(data, self._starts)
        matrix = csr_matrix((lightest, self._indices, self._indptr), shape=self._shape)
        dist, pred = dijkstra(matrix, directed=True, indices=self._source, return_predecessors=True)
        if not np.isfinite(dist[self._goal]):
            return None
        return self._walk(pred, data)

    def _walk(self, pred: Sequence[int], data: FloatArray) -> list[int]:
        path: list[int] = []
        node = self._goal
        while node != self._source:
            prev = int(pred[node])
            i = self._group[(prev, node)]
            lo = int(self._starts[i])
            if not self._single[i]:
                lo += int(np.argmin(data[lo : self._ends[i]]))
            e = int(self._ref[lo])
            if e >= 0:
                path.append(e)
            node = prev
        path.reverse()
        return path


def _useful(
    r: IntArray, c: IntArray, ref: IntArray, n: int, source: int, goal: int
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Keep the entries on some source-goal path (reachable from the source and reaching the
    goal, whatever the weights); number the kept nodes 0.. in order (returned)."""
    structure = csr_matrix((np.ones(r.size), (r, c)), shape=(n, n))
    ahead = np.isfinite(dijkstra(structure, directed=True, indices=source, unweighted=True))
    behind = np.isfinite(
        dijkstra(structure.T.tocsr(), directed=True, indices=goal, unweighted=True)
    )
    useful = ahead & behind
    if not useful[goal]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    keep = useful[r] & useful[c]
    nodes = np.flatnonzero(useful)
    return (np.searchsorted(nodes, r[keep]), np.searchsorted(nodes, c[keep]), ref[keep], nodes)
