"""Solvers against independent oracles on random small networks (Hypothesis).

- scipy Dijkstra on the compiled arrays == networkx Dijkstra on the same expanded graph;
- the budgeted label-setting optimum == the OR-Tools MIP optimum (or both infeasible);
- excluding a link never makes the best route cheaper; a budget is always honoured.
"""

from __future__ import annotations

import math
import os

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.geo import great_circle_km
from corridors.graph.compile import CompiledGraph, Filters, compile_graph
from corridors.model import BorderCrossing, Link, Location, Network, derive_modes
from corridors.solvers.base import PathProblem, objective_weights
from corridors.solvers.labels import best_under_budgets, pareto_frontier
from corridors.solvers.mip import solve_mip
from corridors.solvers.paths import shortest_path

# ORACLE_EXAMPLES raises the number of random networks for a longer local run
SETTINGS = settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def networks(draw, params_sources):
    params, sources = params_sources
    n = draw(st.integers(3, 7))
    locs = {}
    for i in range(n):
        country = draw(st.sampled_from(["KZ", "TM"]))
        lat = 40 + draw(st.integers(0, 8)) * 0.25
        lon = 50 + draw(st.integers(0, 8)) * 0.25 + i * 0.01
        locs[f"n{i}"] = Location(f"n{i}", f"N{i}", (), country, lat, lon, "city", "", "", "t_pub")
    ids = list(locs)
    links, borders = [], []
    for k in range(draw(st.integers(n - 1, 3 * n))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if a == b:
            continue
        la, lb = locs[a], locs[b]
        gc = great_circle_km(la.lat, la.lon, lb.lat, lb.lon)
        dist = round(max(gc, 1.0) * draw(st.floats(1.0, 1.6)), 1)
        if la.country != lb.country:
            mode = draw(st.sampled_from(["rail", "road"]))
            borders.append(
                BorderCrossing(
                    f"b{k}",
                    a,
                    b,
                    mode,
                    dist,
                    "operational",
                    "t_pub",
                    gauges_mm=(1520,) if mode == "rail" else (),
                    dwell_h=draw(st.one_of(st.none(), st.floats(0, 30))),
                    fee_usd=None,
                    dwell_source="t_pub",
                )
            )
            continue
        mode = draw(st.sampled_from(["rail", "road", "sea", "air"]))
        status = draw(st.sampled_from(["operational", "operational", "planned"]))
        links.append(
            Link(
                f"l{k}",
                a,
                b,
                mode,
                dist,
                status,
                "t_pub",
                gauge_mm=draw(st.sampled_from([1435, 1520])) if mode == "rail" else None,
                basin="caspian" if mode == "sea" else None,
                opening_year=2030 if status == "planned" else None,
            )
        )
    lt, bt = tuple(links), tuple(borders)
    return Network(locs, lt, bt, sources, params, "rand", derive_modes(lt, bt))


@pytest.fixture(scope="module")
def params_sources(tiny_net):
    return tiny_net.params, tiny_net.sources


def _nx_graph(g: CompiledGraph, weights: np.ndarray, mask: np.ndarray) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(g.n_nodes))
    for e in np.flatnonzero(mask):
        G.add_edge(int(g.tail[e]), int(g.head[e]), weight=float(weights[e]))
    return G


def _endpoints(g: CompiledGraph, net: Network, data):
    a, b = (
        data.draw(st.sampled_from(sorted(net.locations))),
        data.draw(st.sampled_from(sorted(net.locations))),
    )
    s, t = (a, "src"), (b, "dst")
    if a == b or s not in g.node_index or t not in g.node_index:
        return None
    return g.node_index[s], g.node_index[t]


@pytest.mark.slow
@SETTINGS
@given(data=st.data())
def test_dijkstra_equals_networkx(params_sources, data):
    net = data.draw(networks(params_sources))
    g = compile_graph(net)
    ends = _endpoints(g, net, data)
    if ends is None:
        return
    s, t = ends
    objective = data.draw(st.sampled_from(["cost", "time", "distance", "co2", "generalized"]))
    w = objective_weights(g, objective, "container", 5.0)
    mask = g.mask(Filters(year=data.draw(st.sampled_from([None, 2030]))))
    path = shortest_path(g, w, mask, s, t)
    G = _nx_graph(g, w, mask)
    try:
        expected = nx.dijkstra_path_length(G, s, t, weight="weight")
    except nx.NetworkXNoPath:
        assert path is None
        return
    assert path is not None
    assert float(np.sum(w[path])) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    # the path is a real walk from s to t over usable edges
    assert g.tail[path[0]] == s and g.head[path[-1]] == t
    assert all(g.head[a] == g.tail[b] for a, b in zip(path, path[1:], strict=False))
    assert mask[path].all()


@pytest.mark.slow
@SETTINGS
@given(data=st.data())
def test_budgeted_labels_equal_mip(params_sources, data):
    net = data.draw(networks(params_sources))
    g = compile_graph(net)
    ends = _endpoints(g, net, data)
    if ends is None:
        return
    s, t = ends
    w = g.cost_usd["container"]
    mask = g.mask(Filters())
    fastest = shortest_path(g, g.time_h, mask, s, t)
    if fastest is None:
        return
    t_min = float(np.sum(g.time_h[fastest]))
    p = PathProblem(
        g,
        mask,
        s,
        t,
        w,
        w,
        max_time_h=t_min * data.draw(st.floats(0.9, 1.5)),
        max_borders=data.draw(st.one_of(st.none(), st.integers(0, 2))),
    )
    lab, mip = best_under_budgets(p), solve_mip(p)
    assert lab.status == mip.status
    if lab.status == "optimal":
        assert lab.objective == pytest.approx(mip.objective, rel=1e-6, abs=1e-6)
        assert float(np.sum(g.time_h[lab.edges])) <= p.max_time_h + 1e-6
        if p.max_borders is not None:
            assert int(np.sum(g.borders[lab.edges])) <= p.max_borders


@pytest.mark.slow
@SETTINGS
@given(data=st.data())
def test_excluding_a_link_never_makes_the_route_cheaper(params_sources, data):
    net = data.draw(networks(params_sources))
    g = compile_graph(net)
    ends = _endpoints(g, net, data)
    if ends is None or not g.ref_edges:
        return
    s, t = ends
    w = g.cost_usd["bulk"]
    base = shortest_path(g, w, g.mask(Filters()), s, t)
    ref = data.draw(st.sampled_from(sorted(g.ref_edges)))
    cut = shortest_path(g, w, g.mask(Filters(exclude_links=frozenset([ref]))), s, t)
    if base is None:
        assert cut is None
        return
    if cut is not None:
        assert float(np.sum(w[cut])) >= float(np.sum(w[base])) - 1e-9
        assert not set(cut) & set(g.ref_edges[ref].tolist())


@pytest.mark.slow
@SETTINGS
@given(data=st.data())
def test_pareto_points_are_exactly_the_non_dominated_budget_optima(params_sources, data):
    net = data.draw(networks(params_sources))
    g = compile_graph(net)
    ends = _endpoints(g, net, data)
    if ends is None:
        return
    s, t = ends
    mask = g.mask(Filters())
    cost = g.cost_usd["container"]
    front = pareto_frontier(g, mask, s, t, [cost, g.time_h])
    # each point's cost is the least cost possible within its own time
    for (c, hours), _path in front:
        best = best_under_budgets(PathProblem(g, mask, s, t, cost, cost, max_time_h=hours))
        assert best.objective == pytest.approx(c, rel=1e-9, abs=1e-9)
    if front:
        fastest = shortest_path(g, g.time_h, mask, s, t)
        assert min(h for (_, h), _ in front) == pytest.approx(float(np.sum(g.time_h[fastest])))
    assert all(math.isfinite(c) for (c, _), _ in front)


@pytest.mark.slow
@SETTINGS
@given(data=st.data())
def test_layered_dijkstra_equals_label_setting_for_ordered_stages(params_sources, data):
    from corridors.solvers.base import Stage
    from corridors.solvers.paths import LayeredPrepared

    net = data.draw(networks(params_sources))
    g = compile_graph(net)
    ends = _endpoints(g, net, data)
    if ends is None:
        return
    s, t = ends
    n_locs = len(g.loc_ids)
    place_sets = [
        frozenset(data.draw(st.sets(st.integers(0, n_locs - 1), min_size=1, max_size=2)))
        for _ in range(data.draw(st.integers(1, 3)))
    ]
    stages = [frozenset(np.flatnonzero(np.isin(g.node_loc, list(x))).tolist()) for x in place_sets]
    w = g.cost_usd["container"]
    mask = g.mask(Filters())
    layered = LayeredPrepared(g, w, mask, stages).path(s, t)
    labels = best_under_budgets(PathProblem(g, mask, s, t, w, w, stages=[Stage(x) for x in stages]))
    if labels.status == "infeasible":
        assert layered is None
        return
    assert layered is not None
    assert float(np.sum(w[layered])) == pytest.approx(labels.objective, rel=1e-9, abs=1e-9)
    # the layered path really passes the stages in order
    k = 0
    for node in [s] + [int(g.head[e]) for e in layered]:
        while k < len(stages) and node in stages[k]:
            k += 1
    assert k == len(stages)
