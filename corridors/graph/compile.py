"""Compile the state graph once into arrays that every query reuses.

Per edge: ``tail``/``head`` node indices, ``family``, the locations and countries at
both ends, ``distance_km``, ``time_h``, ``borders`` (1 on a border crossing), ``opening_year`` and ``operational``
(0 when not known) and, per cargo class, ``cost_usd`` and ``co2_kg`` per unit.  Edges are
sorted by (tail, head) so a CSR matrix can be built from a mask without a sort.

Per-request hard exclusions (:class:`Filters`) become a boolean mask over the edges
(:meth:`CompiledGraph.mask`), never a rebuilt graph.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from corridors.graph.build import StateEdge, build_state_edges
from corridors.graph.states import DST, SRC, EdgeKind, family
from corridors.model import Network
from corridors.params import CARGO_CLASSES

log = logging.getLogger(__name__)

FAMILIES = ("", "rail", "road", "sea", "air")

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Filters:
    """Hard exclusions of a request.  ``year`` None means operational links only."""

    exclude_countries: frozenset[str] = frozenset()
    exclude_locations: frozenset[str] = frozenset()
    exclude_links: frozenset[str] = frozenset()  # link or border-crossing ids
    modes: frozenset[str] | None = None  # allowed families; None = all
    year: int | None = None
    # countries where one mode may not run (a transit regime the country lacks), by family
    exclude_mode_countries: frozenset[tuple[str, str]] = frozenset()


@dataclass
class CompiledGraph:
    """The state graph as arrays; built by :func:`compile_graph`."""

    nodes: list[tuple[str, str]]
    node_index: dict[tuple[str, str], int]
    edges: list[StateEdge]
    tail: IntArray
    head: IntArray
    family: IntArray
    tail_loc: IntArray
    head_loc: IntArray
    node_loc: IntArray
    node_family: IntArray  # FAMILIES index of each node's state (0 for src and dst)
    loc_ids: list[str]
    loc_country: npt.NDArray[np.str_]
    distance_km: FloatArray
    time_h: FloatArray
    borders: IntArray
    opening_year: IntArray  # 0 when not known
    operational: BoolArray
    cost_usd: dict[str, FloatArray]
    co2_kg: dict[str, FloatArray]
    ref_edges: dict[str, IntArray] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    def mask(self, f: Filters) -> BoolArray:
        """True for edges a request may use."""
        ok = np.ones(len(self.edges), dtype=bool)
        if f.year is None:
            ok &= self.operational
        else:  # what was open in that year: opened by then, whatever its status today
            ok &= self.opening_year <= f.year
        if f.exclude_countries:
            bad = np.isin(self.loc_country, list(f.exclude_countries))
            ok &= ~bad[self.tail_loc] & ~bad[self.head_loc]
        if f.exclude_locations:
            loc_pos = {loc: i for i, loc in enumerate(self.loc_ids)}
            bad = np.zeros(len(self.loc_ids), dtype=bool)
            bad[[loc_pos[x] for x in f.exclude_locations if x in loc_pos]] = True
            ok &= ~bad[self.tail_loc] & ~bad[self.head_loc]
        for ref in f.exclude_links:
            idx = self.ref_edges.get(ref)
            if idx is not None:
                ok[idx] = False
        for fam, country in f.exclude_mode_countries:
            in_country = self.loc_country == country
            ok &= ~(
                (self.family == FAMILIES.index(fam))
                & (in_country[self.tail_loc] | in_country[self.head_loc])
            )
        if f.modes is not None:
            allowed = np.zeros(len(FAMILIES), dtype=bool)
            allowed[[0] + [FAMILIES.index(m) for m in f.modes if m in FAMILIES]] = True
            # an edge is usable only if both its ends are in allowed modes: a transfer into a
            # mode the request excludes is masked with that mode's links
            ok &= allowed[self.family] & allowed[self.node_family[self.tail]]
            ok &= allowed[self.node_family[self.head]]
        return ok


def compile_graph(net: Network, edges: Sequence[StateEdge] | None = None) -> CompiledGraph:
    """Build (or take) the state edges and compile them into arrays."""
    edges = list(edges) if edges is not None else build_state_edges(net)
    nodes = sorted({e.tail for e in edges} | {e.head for e in edges})
    node_index = {n: i for i, n in enumerate(nodes)}
    edges.sort(key=lambda e: (node_index[e.tail], node_index[e.head]))
    loc_ids = sorted(net.locations)
    loc_pos = {loc: i for i, loc in enumerate(loc_ids)}

    def ints(values: Sequence[int]) -> IntArray:
        return np.asarray(values, dtype=np.int64)

    def floats(values: Sequence[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    refs: dict[str, list[int]] = {}
    for i, e in enumerate(edges):
        if e.kind in (EdgeKind.LINE_HAUL, EdgeKind.BORDER):
            refs.setdefault(e.ref, []).append(i)
    g = CompiledGraph(
        nodes=nodes,
        node_index=node_index,
        edges=edges,
        tail=ints([node_index[e.tail] for e in edges]),
        head=ints([node_index[e.head] for e in edges]),
        family=ints([FAMILIES.index(e.family) for e in edges]),
        tail_loc=ints([loc_pos[e.tail[0]] for e in edges]),
        head_loc=ints([loc_pos[e.head[0]] for e in edges]),
        node_loc=ints([loc_pos[n[0]] for n in nodes]),
        node_family=ints(
            [0 if n[1] in (SRC, DST) else FAMILIES.index(family(n[1])) for n in nodes]
        ),
        loc_ids=loc_ids,
        loc_country=np.asarray([net.locations[x].country for x in loc_ids]),
        distance_km=floats([e.distance_km for e in edges]),
        time_h=floats([e.time_h for e in edges]),
        borders=ints([1 if e.kind == EdgeKind.BORDER else 0 for e in edges]),
        opening_year=ints([e.opening_year or 0 for e in edges]),
        operational=np.asarray([e.status == "operational" for e in edges], dtype=bool),
        cost_usd={c: floats([e.cost_usd(c) for e in edges]) for c in CARGO_CLASSES},
        co2_kg={c: floats([e.co2_kg_per_unit[c] for e in edges]) for c in CARGO_CLASSES},
        ref_edges={k: np.asarray(v, dtype=np.int64) for k, v in refs.items()},
    )
    log.info("compiled state graph: %d nodes, %d edges", g.n_nodes, len(edges))
    return g
