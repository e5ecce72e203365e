"""Route-query latency on the bundled network, against baselines measured in the same run.

For N random origin-destination pairs (seeded) and each objective:
- ``router``: :meth:`Router.route` with all overhead (place resolution, mask, solve, explanation);
- ``scipy_bare``: scipy's Dijkstra alone on a CSR matrix of the same compiled graph, built
  once outside the timing (the floor for a plain query);
- ``networkx``: networkx Dijkstra on the same expanded graph (built once outside the timing).
Then budgeted routes (label setting, and the OR-Tools MIP on a subset), Pareto frontiers and
the CLI cold start (against ``python -c pass``).  Writes JSON and a Markdown table.

Run: ``python benchmarks/perf/bench_routes.py [--pairs 1000] [--out benchmarks/results]``
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from corridors.data import load_network
from corridors.errors import NoRouteError
from corridors.graph.compile import Filters
from corridors.request import OBJECTIVES, RouteRequest
from corridors.routing import SURFACE_MODES, Router
from corridors.solvers.base import objective_weights
from corridors.solvers.paths import masked_csr


def _stats(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000.0 for s in samples_s)
    return {
        "n": len(ms),
        "median_ms": statistics.median(ms),
        "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))],
        "mean_ms": statistics.fmean(ms),
    }


def _time(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _progress(label: str, i: int, n: int) -> None:
    if i % max(1, n // 10) == 0 or i == n:
        print(f"\r{label}: {i}/{n}", end="" if i < n else "\n", file=sys.stderr, flush=True)


def bench_plain(router: Router, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    g = router.graph
    mask = g.mask(Filters(modes=frozenset(SURFACE_MODES)))  # what a plain request may use
    vot = router.network.params.cargo["container"].value_of_time_usd_per_unit_h
    out: dict[str, Any] = {}
    for obj in OBJECTIVES:
        w = objective_weights(g, obj, "container", vot)
        matrix, _ = masked_csr(g, w, mask)
        G = nx.DiGraph()
        for e in np.flatnonzero(mask):
            u, v = int(g.tail[e]), int(g.head[e])
            if not G.has_edge(u, v) or G[u][v]["weight"] > w[e]:
                G.add_edge(u, v, weight=float(w[e]))
        r_t, s_t, n_t, mismatches = [], [], [], 0
        for i, (a, b) in enumerate(pairs, 1):
            _progress(f"plain {obj}", i, len(pairs))
            s, t = g.node_index[(a, "src")], g.node_index[(b, "dst")]
            req = RouteRequest(a, b, objective=obj)
            try:
                t0 = time.perf_counter()
                route = router.route(req)
                r_t.append(time.perf_counter() - t0)
            except NoRouteError:
                continue
            s_t.append(
                _time(
                    lambda s=s, m=matrix: dijkstra(
                        m, directed=True, indices=s, return_predecessors=True
                    )
                )
            )
            holder: dict[str, float] = {}
            n_t.append(
                _time(
                    lambda s=s, t=t, G=G, h=holder: h.update(
                        d=nx.dijkstra_path_length(G, s, t, weight="weight")
                    )
                )
            )
            if abs(holder["d"] - float(route.solver.objective_per_unit or 0.0)) > 1e-6 * max(
                1, holder["d"]
            ):
                mismatches += 1
        out[obj] = {
            "router": _stats(r_t),
            "scipy_bare": _stats(s_t),
            "networkx": _stats(n_t),
            "answers_differing_from_networkx": mismatches,
        }
    return out


def bench_budgeted(router: Router, pairs: list[tuple[str, str]], n_mip: int) -> dict[str, Any]:
    lab_t, mip_t, agree, checked = [], [], 0, 0
    for i, (a, b) in enumerate(pairs, 1):
        _progress("budgeted", i, len(pairs))
        try:
            fastest = router.route(RouteRequest(a, b, objective="time"))
        except NoRouteError:
            continue
        req = RouteRequest(
            a, b, max_hours=fastest.summary.time_h * 1.2, max_borders=4, solver="labels"
        )
        t0 = time.perf_counter()
        try:
            lab = router.route(req)
        except NoRouteError:
            lab = None
        lab_t.append(time.perf_counter() - t0)
        if checked < n_mip:
            checked += 1
            t0 = time.perf_counter()
            try:
                mip = router.route(RouteRequest(**{**req.__dict__, "solver": "mip"}))
            except NoRouteError:
                mip = None
            mip_t.append(time.perf_counter() - t0)
            same = (lab is None and mip is None) or (
                lab is not None
                and mip is not None
                and abs(lab.summary.cost_usd - mip.summary.cost_usd)
                < 1e-6 * max(1, lab.summary.cost_usd)
            )
            agree += int(same)
    return {
        "labels": _stats(lab_t),
        "mip": _stats(mip_t),
        "mip_checked": checked,
        "mip_agrees": agree,
    }


def bench_pareto(router: Router, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    times, sizes = [], []
    for i, (a, b) in enumerate(pairs, 1):
        _progress("pareto", i, len(pairs))
        t0 = time.perf_counter()
        try:
            res = router.pareto(RouteRequest(a, b))
        except NoRouteError:
            continue
        times.append(time.perf_counter() - t0)
        sizes.append(len(res.points))
    return {"pareto": _stats(times), "median_points": statistics.median(sizes) if sizes else 0}


def bench_cold_start(repeats: int) -> dict[str, Any]:
    base = [
        _time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
        for _ in range(repeats)
    ]
    cli = [
        _time(
            lambda: subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "corridors.cli",
                    "route",
                    "Tashkent",
                    "Bandar Abbas",
                    "--json",
                ],
                check=True,
                capture_output=True,
            )
        )
        for _ in range(repeats)
    ]
    return {"python_startup": _stats(base), "cli_route": _stats(cli)}


def markdown(res: dict[str, Any]) -> str:
    lines = [
        f"# Route-query benchmark ({res['meta']['date']})",
        "",
        f"Machine: {res['meta']['machine']}; network {res['meta']['network']} "
        f"({res['meta']['nodes']:,} state nodes, {res['meta']['edges']:,} edges); "
        f"{res['meta']['pairs']} random OD pairs, seed {res['meta']['seed']}.",
        "",
        "| objective | router median ms | p99 ms | scipy bare median ms | networkx median ms "
        "| router / scipy | networkx / router | differing answers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for obj, r in res["plain"].items():
        ratio = r["router"]["median_ms"] / r["scipy_bare"]["median_ms"]
        nx_ratio = r["networkx"]["median_ms"] / r["router"]["median_ms"]
        lines.append(
            f"| {obj} | {r['router']['median_ms']:.3f} | {r['router']['p99_ms']:.3f} | "
            f"{r['scipy_bare']['median_ms']:.3f} | {r['networkx']['median_ms']:.3f} | "
            f"{ratio:.2f}x | {nx_ratio:.2f}x | {r['answers_differing_from_networkx']} |"
        )
    b, p, c = res["budgeted"], res["pareto"], res["cold_start"]
    lines += [
        "",
        "| query | median ms | p99 ms | note |",
        "|---|---|---|---|",
        f"| budgeted (labels: max 1.2x fastest time, max 4 borders) | "
        f"{b['labels']['median_ms']:.2f} | {b['labels']['p99_ms']:.2f} | target < 10 ms median |",
        f"| budgeted (OR-Tools MIP, same queries) | {b['mip']['median_ms']:.1f} | "
        f"{b['mip']['p99_ms']:.1f} | agrees with labels on {b['mip_agrees']}/{b['mip_checked']} |",
        f"| Pareto cost/time frontier | {p['pareto']['median_ms']:.2f} | "
        f"{p['pareto']['p99_ms']:.2f} | median {p['median_points']} points; target < 50 ms |",
        f"| CLI cold start (`route --json`) | {c['cli_route']['median_ms']:.0f} | "
        f"{c['cli_route']['p99_ms']:.0f} | python -c pass: {c['python_startup']['median_ms']:.0f} ms |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--budget-pairs", type=int, default=200)
    ap.add_argument("--mip-pairs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results"))
    args = ap.parse_args()
    net = load_network()
    router = Router(net)
    rng = random.Random(args.seed)
    ids = sorted(net.locations)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(args.pairs)]
    res: dict[str, Any] = {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "seed": args.seed,
            "pairs": args.pairs,
            "machine": f"{platform.machine()}, {platform.python_implementation()} "
            f"{platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores",
            "network": net.version,
            "nodes": router.graph.n_nodes,
            "edges": len(router.graph.edges),
        }
    }
    res["plain"] = bench_plain(router, pairs)
    res["budgeted"] = bench_budgeted(router, pairs[: args.budget_pairs], args.mip_pairs)
    res["pareto"] = bench_pareto(router, pairs[: args.budget_pairs])
    res["cold_start"] = bench_cold_start(5)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "routes.json").write_text(json.dumps(res, indent=2))
    (out / "routes.md").write_text(markdown(res))
    print(markdown(res))


if __name__ == "__main__":
    main()
