"""Origin-destination matrices (skims): one shortest-path tree per origin, not one query per pair.

For each origin, one Dijkstra (scipy, on the same masked arrays the router uses) gives the
least-objective path to every destination; cost, time, distance, CO2, border crossings and the
share of distance inside Iran are accumulated along the tree, and the corridors each path
follows are read from its legs.  Units: USD and kg CO2e for the whole quantity, hours, km.

The rules a matrix honours are the exclusions (countries, places, links, modes, year); via
points, gates and budgets belong to single routes (:meth:`corridors.routing.Router.route`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from corridors.compare import follows_edges
from corridors.deadline import check_deadline
from corridors.errors import RequestError
from corridors.graph.states import DST, SRC, ComponentKind
from corridors.request import RouteRequest, validate_request
from corridors.routing import Router
from corridors.solvers.base import objective_weights
from corridors.solvers.paths import masked_csr

__all__ = ["MAX_CELLS", "MatrixCell", "corridors_followed", "od_matrix"]

MAX_CELLS = 250_000  # origins x destinations in one request
IRAN = "IR"


@dataclass(frozen=True)
class MatrixCell:
    origin: str
    destination: str
    reachable: bool
    objective: float  # the request's objective, whole shipment (inf if unreachable)
    cost_usd: float
    time_h: float
    distance_km: float
    co2_kg: float
    border_crossings: int
    iran_share_km: float  # share of the distance inside Iran
    corridors: tuple[str, ...]  # named corridors the path follows ("" none)
    risk_usd: float = 0.0  # the request's shipper profile's priced risk, whole shipment


def od_matrix(
    router: Router,
    origins: Sequence[str],
    destinations: Sequence[str],
    base: RouteRequest | None = None,
    *,
    with_corridors: bool = True,
) -> list[MatrixCell]:
    """Every origin x destination cell for the objective, cargo and exclusions of ``base``.

    Raises
    ------
    RequestError
        An empty list, an unknown place (with suggestions), or more than :data:`MAX_CELLS`.
    """
    if not origins or not destinations:
        raise RequestError("a matrix needs at least one origin and one destination")
    if len(origins) * len(destinations) > MAX_CELLS:
        raise RequestError(
            f"{len(origins)} x {len(destinations)} cells exceed the limit {MAX_CELLS:,}",
            kind="too-big",
        )
    req = base or RouteRequest(origins[0], destinations[0])
    validate_request(req, router.limits)
    src_ids = [router.resolve(x) for x in origins]  # all resolved first: nothing half-computed
    dst_ids = [router.resolve(x) for x in destinations]
    g = router.graph
    risk = router.risk_pricing(req)
    weights = objective_weights(
        g,
        req.objective,
        req.cargo,
        router.value_of_time(req),
        None if risk is None else risk.usd(req.cargo),
    )
    matrix, edge_ids = masked_csr(g, weights, router.mask(router.filters(req)))
    tails = np.repeat(np.arange(g.n_nodes), np.diff(matrix.indptr))
    pairs = zip(tails.tolist(), matrix.indices.tolist(), strict=True)
    edge_of = dict(zip(pairs, edge_ids.tolist(), strict=True))
    data = _EdgeData(router, req.cargo, None if risk is None else risk.usd(req.cargo))
    out: list[MatrixCell] = []
    for origin in src_ids:
        check_deadline()
        out += _from_origin(router, data, matrix, edge_of, origin, dst_ids, req, with_corridors)
    return out


class _EdgeData:
    """Per-edge figures as plain lists (fast to add up along a tree)."""

    def __init__(self, router: Router, cargo: str, risk_usd: np.ndarray | None) -> None:
        g = router.graph
        iran = (g.loc_country == IRAN).tolist()
        self.cost = g.cost_usd[cargo].tolist()
        self.risk = [0.0] * len(self.cost) if risk_usd is None else risk_usd.tolist()
        self.time = g.time_h.tolist()
        self.dist = g.distance_km.tolist()
        self.co2 = g.co2_kg[cargo].tolist()
        self.tail = g.tail.tolist()
        self.iran_km = [
            d * (float(iran[a]) + float(iran[b])) / 2
            for d, a, b in zip(self.dist, g.tail_loc.tolist(), g.head_loc.tolist(), strict=True)
        ]
        self.border = [any(c.kind == ComponentKind.BORDER for c in e.components) for e in g.edges]


def _from_origin(
    router: Router,
    data: _EdgeData,
    matrix: object,
    edge_of: dict[tuple[int, int], int],
    origin: str,
    dst_ids: Sequence[str],
    req: RouteRequest,
    with_corridors: bool,
) -> list[MatrixCell]:
    """One shortest-path tree; figures added up from the root outwards in distance order."""
    g = router.graph
    s = g.node_index[(origin, SRC)]
    dist, pred = dijkstra(matrix, directed=True, indices=s, return_predecessors=True)
    acc: dict[int, tuple[float, float, float, float, float, int, float]] = {
        s: (0, 0, 0, 0, 0, 0, 0)
    }
    parent: dict[int, int] = {}
    for node in np.argsort(dist).tolist():
        if node in acc or not math.isfinite(dist[node]):
            continue
        chain = [node]  # zero-weight edges can tie a node with its parent: climb to a known one
        while int(pred[chain[-1]]) not in acc:
            chain.append(int(pred[chain[-1]]))
        for child in reversed(chain):
            p = int(pred[child])
            e = edge_of[(p, child)]
            parent[child] = e
            a = acc[p]
            acc[child] = (
                a[0] + data.cost[e],
                a[1] + data.time[e],
                a[2] + data.dist[e],
                a[3] + data.co2[e],
                a[4] + data.iran_km[e],
                a[5] + int(data.border[e]),
                a[6] + data.risk[e],
            )
    qty, out = req.quantity, []
    for dest in dst_ids:
        t = g.node_index[(dest, DST)]
        if dest == origin or t not in acc:
            same = dest == origin
            out.append(
                MatrixCell(origin, dest, same, 0.0 if same else math.inf, 0, 0, 0, 0, 0, 0, ())
            )
            continue
        c, h, km, kg, ikm, nb, risk = acc[t]
        corridors: tuple[str, ...] = ()
        if with_corridors:
            path, node = [], t
            while node != s:
                e = parent[node]
                path.append(e)
                node = data.tail[e]
            corridors = corridors_followed(router, path[::-1])
        out.append(
            MatrixCell(
                origin,
                dest,
                True,
                float(dist[t]) * qty,
                c * qty,
                h,
                km,
                kg * qty,
                nb,
                ikm / km if km else 0.0,
                corridors,
                risk * qty,
            )
        )
    return out


def corridors_followed(router: Router, path: Sequence[int]) -> tuple[str, ...]:
    """The named corridors whose rules a path (edge indices) keeps."""
    return tuple(c.id for c in router.network.corridors.values() if follows_edges(router, path, c))
