"""Which crossing, port or ferry line the region can least afford to lose.

Each element is closed in turn (a border crossing or a link: excluded; a port: every sea link
calling there excluded) and an OD set is re-skimmed with :func:`corridors.matrix.od_matrix`
(one shortest-path tree per origin).  The loss of an element is the weighted increase of the
generalized cost over the OD set, plus the weight of the pairs it disconnects (counted apart).
Weights are the trade tonnes per OD when the trade matrix exists (``trade``), else 1 per pair
(``uniform``).  A quick screen beside it: edge betweenness of the physical network (networkx,
distance-weighted), which needs no routing at all.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import networkx as nx

from corridors.deadline import check_deadline
from corridors.matrix import od_matrix
from corridors.request import RouteRequest
from corridors.routing import Router

__all__ = ["Criticality", "betweenness_screen", "criticality", "elements_to_close"]


@dataclass(frozen=True)
class Criticality:
    element: str
    kind: str  # border, port, ferry
    cost_increase_usd: float  # weighted generalized cost increase over the connected pairs
    disconnected_weight: float  # weight of the pairs with no route left
    disconnected_pairs: int
    pairs_affected: int


def elements_to_close(router: Router) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Element -> (kind, link and crossing ids to exclude): every operational border crossing,
    every port (its sea links), every Caspian ferry line (every sea link between its two ports:
    the same ships carry lifted containers, wagons and trucks; named by its container link)."""
    net = router.network
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for b in net.borders:
        if b.status == "operational":
            out[b.id] = ("border", (b.id,))
    by_port: dict[str, list[str]] = defaultdict(list)
    lines: dict[frozenset[str], list[tuple[bool, str]]] = defaultdict(list)
    for lk in net.links:
        if lk.mode == "sea" and lk.status == "operational":
            by_port[lk.from_id].append(lk.id)
            by_port[lk.to_id].append(lk.id)
            if lk.basin == "caspian":
                lines[frozenset((lk.from_id, lk.to_id))].append((lk.service is not None, lk.id))
    for ids in lines.values():
        ids.sort()  # the container link (no service class) names the line
        out[ids[0][1]] = ("ferry", tuple(i for _, i in ids))
    for port, links in sorted(by_port.items()):
        out[f"port {port}"] = ("port", tuple(links))
    return out


def criticality(
    router: Router,
    pairs: Sequence[tuple[str, str]],
    weights: Sequence[float] | None = None,
    base: RouteRequest | None = None,
) -> list[Criticality]:
    """Every element's loss over ``pairs`` (weighted), largest first."""
    if not pairs:
        from corridors.errors import RequestError

        raise RequestError("criticality needs at least one origin-destination pair")
    w = list(weights) if weights is not None else [1.0] * len(pairs)
    origins = sorted({router.resolve(a) for a, _ in pairs})
    dests = sorted({router.resolve(b) for _, b in pairs})
    resolved = [(router.resolve(a), router.resolve(b)) for a, b in pairs]
    req = base or RouteRequest(origins[0], dests[0], objective="generalized")

    def skim(extra: tuple[str, ...]) -> dict[tuple[str, str], float]:
        r = replace(req, exclude_links=tuple(dict.fromkeys((*req.exclude_links, *extra))))
        cells = od_matrix(router, origins, dests, r, with_corridors=False)
        return {(c.origin, c.destination): c.objective for c in cells}

    before = skim(())
    out = []
    for element, (kind, links) in elements_to_close(router).items():
        check_deadline()
        after = skim(links)
        increase = disconnected = 0.0
        n_disc = n_aff = 0
        for (a, b), weight in zip(resolved, w, strict=True):
            x, y = before[(a, b)], after[(a, b)]
            if not math.isfinite(x):
                continue
            if not math.isfinite(y):
                disconnected += weight
                n_disc += 1
            elif y > x + 1e-6:
                increase += weight * (y - x)
                n_aff += 1
        out.append(Criticality(element, kind, increase, disconnected, n_disc, n_aff + n_disc))
    return sorted(out, key=lambda c: (-c.disconnected_weight, -c.cost_increase_usd))


def betweenness_screen(router: Router, top: int = 20) -> list[tuple[str, float]]:
    """Links and crossings ranked by edge betweenness on the physical network (by km)."""
    net = router.network
    g = nx.Graph()
    items = [(x.id, x.from_id, x.to_id, x.distance_km, x.status) for x in net.links]
    items += [(x.id, x.from_id, x.to_id, x.distance_km, x.status) for x in net.borders]
    for ref, a, b, km, status in items:
        if status != "operational":
            continue
        prev = g.get_edge_data(a, b)
        if prev is None or prev["km"] > km:
            g.add_edge(a, b, km=max(km, 0.1), id=ref)
    scores = nx.edge_betweenness_centrality(g, weight="km", normalized=True)
    ranked = sorted(((g.edges[e]["id"], s) for e, s in scores.items()), key=lambda x: -x[1])
    return ranked[:top]
