"""How the uncertain factors scale the compiled graph's per-edge figures.

Each edge's hours and USD (for one cargo class) are split into a fixed part and a part per
factor group (:mod:`corridors.uncertainty.model`): border dwell by country (half to each
side's factor), port calls and sailing waits by basin, en-route stops, line-haul rates by mode.
Given factor values, the edge figures are ``base + factors @ per_group``: one matrix product for
a whole batch of draws, no graph rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corridors.graph.states import ComponentKind, EdgeKind
from corridors.params import param_mode_key
from corridors.routing import Router

__all__ = ["EdgeFactors"]


@dataclass
class EdgeFactors:
    names: tuple[str, ...]
    time_base: np.ndarray  # (edges,)
    cost_base: np.ndarray
    time_by: np.ndarray  # (groups, edges)
    cost_by: np.ndarray
    border_h: dict[str, np.ndarray]  # crossing id -> its dwell hours on each edge (break-even)

    @classmethod
    def build(cls, router: Router, cargo: str, names: tuple[str, ...]) -> EdgeFactors:
        g, net = router.graph, router.network
        index = {n: i for i, n in enumerate(names)}
        n_e = len(g.edges)
        time_base, cost_base = np.zeros(n_e), np.zeros(n_e)
        time_by, cost_by = np.zeros((len(names), n_e)), np.zeros((len(names), n_e))
        port_basin = _port_basins(router)
        border_h: dict[str, np.ndarray] = {}
        for e, edge in enumerate(g.edges):
            countries = (net.locations[edge.tail[0]].country, net.locations[edge.head[0]].country)
            for c in edge.components:
                hours, usd = c.hours, c.usd_per_unit[cargo]
                groups_t: list[tuple[str, float]] = []
                groups_c: list[tuple[str, float]] = []
                if c.kind == ComponentKind.BORDER:
                    groups_t = [(f"border_dwell:{cc}", 0.5) for cc in countries]
                    border_h.setdefault(edge.ref, np.zeros(n_e))[e] += hours
                elif c.kind == ComponentKind.SERVICE_WAIT:
                    basin = net.link_by_id[edge.ref].basin if edge.ref in net.link_by_id else "open"
                    groups_t = [(f"port_wait:{basin}", 1.0)]
                elif c.kind == ComponentKind.PORT_HANDLING:
                    groups_t = [(f"port_wait:{port_basin.get(edge.ref, 'open')}", 1.0)]
                elif c.kind == ComponentKind.EN_ROUTE:
                    groups_t = [("en_route", 1.0)]
                elif c.kind == ComponentKind.LINE_HAUL and edge.kind == EdgeKind.LINE_HAUL:
                    link = net.link_by_id.get(edge.ref)
                    basin, service = (link.basin, link.service) if link else (None, None)
                    key = param_mode_key(edge.family, basin, service)
                    groups_c = [(f"tariff:{key}", 1.0)]
                _spread(time_base, time_by, index, e, hours, groups_t)
                _spread(cost_base, cost_by, index, e, usd, groups_c)
        return cls(names, time_base, cost_base, time_by, cost_by, border_h)

    def figures(self, factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-edge hours and USD per unit for factor rows ``(draws, groups)``."""
        return self.time_base + factors @ self.time_by, self.cost_base + factors @ self.cost_by


def _spread(
    base: np.ndarray,
    by: np.ndarray,
    index: dict[str, int],
    e: int,
    value: float,
    groups: list[tuple[str, float]],
) -> None:
    placed = 0.0
    for name, share in groups:
        i = index.get(name)
        if i is not None:
            by[i, e] += share * value
            placed += share
    base[e] += (1.0 - placed) * value


def _port_basins(router: Router) -> dict[str, str]:
    basins: dict[str, str] = {}
    for lk in router.network.links:
        if lk.mode == "sea":
            for loc in (lk.from_id, lk.to_id):
                if basins.get(loc) != "open":
                    basins[loc] = str(lk.basin)
    return basins
