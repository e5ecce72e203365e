"""Plain best routes: scipy's C Dijkstra on a CSR matrix built from the compiled arrays and a mask.

The compiled edges are sorted by (tail, head), so the CSR rows are built without a sort.  Where
several usable edges join the same pair of nodes (parallel links, e.g. two sea routes), only the
lightest is kept, because a CSR matrix holds one entry per pair.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors.graph.compile import BoolArray, CompiledGraph, FloatArray, IntArray


def _keep_lightest(g: CompiledGraph, weights: FloatArray, usable: BoolArray) -> BoolArray:
    """Drop all but the lightest usable edge of each (tail, head) pair."""
    idx = np.flatnonzero(usable)
    key = g.tail[idx] * g.n_nodes + g.head[idx]
    if idx.size < 2 or not np.any(key[1:] == key[:-1]):
        return usable
    order = np.lexsort((weights[idx], key))
    first = np.ones(idx.size, dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    keep = np.zeros_like(usable)
    keep[idx[order[first]]] = True
    return keep


def masked_csr(
    g: CompiledGraph, weights: FloatArray, mask: BoolArray, *, reverse: bool = False
) -> tuple[csr_matrix, IntArray]:
    """CSR matrix of the usable edges and, per stored entry, the edge index it came from."""
    usable = _keep_lightest(g, weights, mask & np.isfinite(weights))
    edge_ids = np.flatnonzero(usable)
    rows, cols = g.tail[edge_ids], g.head[edge_ids]
    if reverse:
        rows, cols = cols, rows
        order = np.lexsort((cols, rows))
        edge_ids, rows, cols = edge_ids[order], rows[order], cols[order]
    indptr = np.zeros(g.n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=g.n_nodes), out=indptr[1:])
    matrix = csr_matrix((weights[edge_ids], cols, indptr), shape=(g.n_nodes, g.n_nodes))
    return matrix, edge_ids


class PreparedGraph:
    """A masked, weighted CSR matrix ready for repeated queries (cache one per request kind)."""

    def __init__(self, g: CompiledGraph, weights: FloatArray, mask: BoolArray) -> None:
        self.matrix, edge_ids = masked_csr(g, weights, mask)
        tails = np.repeat(np.arange(g.n_nodes), np.diff(self.matrix.indptr))
        self._edge = dict(
            zip(
                zip(tails.tolist(), self.matrix.indices.tolist(), strict=True),
                edge_ids.tolist(),
                strict=True,
            )
        )

    def path(self, source: int, target: int) -> list[int] | None:
        """Edge indices of a least-weight path; None if ``target`` is unreachable."""
        dist, pred = dijkstra(self.matrix, directed=True, indices=source, return_predecessors=True)
        if not np.isfinite(dist[target]):
            return None
        path: list[int] = []
        node = target
        while node != source:
            prev = int(pred[node])
            path.append(self._edge[(prev, node)])
            node = prev
        path.reverse()
        return path


def shortest_path(
    g: CompiledGraph, weights: FloatArray, mask: BoolArray, source: int, target: int
) -> list[int] | None:
    """Edge indices of a least-weight path from ``source`` to ``target``; None if unreachable."""
    return PreparedGraph(g, weights, mask).path(source, target)


def distances_to(g: CompiledGraph, weights: FloatArray, mask: BoolArray, target: int) -> FloatArray:
    """Least weight from every node to ``target`` (inf where unreachable): lower bounds."""
    matrix, _ = masked_csr(g, weights, mask, reverse=True)
    dist = dijkstra(matrix, directed=True, indices=target)
    return np.asarray(dist, dtype=np.float64)


class LayeredPrepared:
    """Plain best routes that must pass ordered "one of these nodes" stages, without budgets.

    The graph is copied once per stage layer (layer k: k stages met); a zero-weight switch edge
    moves up a layer at a node of the stage.  One Dijkstra on the layered CSR matrix
    then solves exactly what the label-setting search solves for stages alone (weights are
    non-negative, so taking a switch as early as possible is never worse).
    """

    def __init__(
        self, g: CompiledGraph, weights: FloatArray, mask: BoolArray, stages: list[frozenset[int]]
    ) -> None:
        n, n_layers = g.n_nodes, len(stages) + 1
        usable = _keep_lightest(g, weights, mask & np.isfinite(weights))
        edge_ids = np.flatnonzero(usable)
        rows, cols, data, refs = [], [], [], []
        for k in range(n_layers):
            rows.append(g.tail[edge_ids] + k * n)
            cols.append(g.head[edge_ids] + k * n)
            data.append(weights[edge_ids])
            refs.append(edge_ids)
        for k, stage_nodes in enumerate(stages):
            nodes = np.asarray(sorted(stage_nodes), dtype=np.int64)
            rows.append(nodes + k * n)
            cols.append(nodes + (k + 1) * n)
            data.append(np.zeros(nodes.size))
            refs.append(np.full(nodes.size, -1))
        r, c = np.concatenate(rows), np.concatenate(cols)
        self.matrix = csr_matrix((np.concatenate(data), (r, c)), shape=(n * n_layers,) * 2)
        self._edge = dict(
            zip(
                zip(r.tolist(), c.tolist(), strict=True), np.concatenate(refs).tolist(), strict=True
            )
        )
        self._n, self._layers = n, n_layers

    def path(self, source: int, target: int) -> list[int] | None:
        start = source  # layer 0; a stage met at the source is taken by its switch edge
        goal = target + (self._layers - 1) * self._n
        dist, pred = dijkstra(self.matrix, directed=True, indices=start, return_predecessors=True)
        if not np.isfinite(dist[goal]):
            return None
        path: list[int] = []
        node = goal
        while node != start:
            prev = int(pred[node])
            e = self._edge[(prev, node)]
            if e >= 0:
                path.append(e)
            node = prev
        path.reverse()
        return path
