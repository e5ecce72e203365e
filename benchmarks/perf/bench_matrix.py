"""Matrices, alternatives and criticality against baselines in the same run.

- full matrix of every place to every place (one objective), against the same pairs as single
  route queries (timed on a seeded sample and scaled to all pairs);
- alternatives (k = 5): median and p99 per pair over seeded random pairs;
- criticality of every crossing, port and ferry line over the scenario suite's OD pairs.

Writes ``matrix.json`` and ``matrix.md``.  Run: ``python benchmarks/perf/bench_matrix.py``
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from results_io import machine, write_results

from corridors.alternatives import alternatives
from corridors.criticality import criticality
from corridors.data import default_data_dir, load_network
from corridors.errors import CorridorsError
from corridors.matrix import od_matrix
from corridors.request import RouteRequest
from corridors.routing import Router
from corridors.scenarios import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=2000, help="single queries timed")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results"))
    args = ap.parse_args()
    router = Router(load_network())
    locs = sorted(router.network.locations)
    base = RouteRequest(locs[0], locs[1], objective="generalized")
    od_matrix(router, locs[:5], locs[:5], base, with_corridors=False)  # warm-up
    t0 = time.perf_counter()
    cells = od_matrix(router, locs, locs, base, with_corridors=False)
    t_matrix = time.perf_counter() - t0
    rng = random.Random(7)
    pairs = [tuple(rng.sample(locs, 2)) for _ in range(args.sample)]
    t0 = time.perf_counter()
    for a, b in pairs:
        try:
            router.route(RouteRequest(a, b, objective="generalized"))
        except CorridorsError:
            pass
    per_query = (time.perf_counter() - t0) / len(pairs)
    t_single = per_query * len(locs) * (len(locs) - 1)
    alt_ms = []
    for a, b in pairs[:60]:
        t0 = time.perf_counter()
        try:
            alternatives(router, RouteRequest(a, b, objective="generalized"), k=5)
        except CorridorsError:
            pass
        alt_ms.append((time.perf_counter() - t0) * 1000)
    suite: set[tuple[str, str]] = set()
    for path in sorted((default_data_dir() / "scenarios").glob("*.toml")):
        suite |= {(q.origin, q.destination) for q in load_scenario(path, router).queries}
    t0 = time.perf_counter()
    ranked = criticality(router, sorted(suite))
    t_crit = time.perf_counter() - t0
    alt_ms.sort()
    res = {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine(),
            "network": router.network.version,
        },
        "matrix": {
            "cells": len(cells),
            "seconds": t_matrix,
            "single_queries_seconds_estimated": t_single,
            "speedup": t_single / t_matrix,
        },
        "alternatives_k5": {
            "pairs": len(alt_ms),
            "median_ms": statistics.median(alt_ms),
            "p99_ms": alt_ms[min(len(alt_ms) - 1, int(0.99 * len(alt_ms)))],
        },
        "criticality": {"elements": len(ranked), "pairs": len(suite), "seconds": t_crit},
    }
    m, a, c = res["matrix"], res["alternatives_k5"], res["criticality"]
    md = (
        f"# Matrix, alternatives and criticality ({res['meta']['date']})\n\n"
        f"Machine: {res['meta']['machine']}; network {res['meta']['network']}.\n\n"
        "| measurement | result | baseline in the same run | target |\n|---|---|---|---|\n"
        f"| full matrix, {m['cells']:,} cells | {m['seconds']:.2f} s | single queries: "
        f"{m['single_queries_seconds_estimated']:.1f} s ({m['speedup']:.0f}x slower) | <= 1 s, >= 20x |\n"
        f"| alternatives, k = 5 | median {a['median_ms']:.1f} ms, p99 {a['p99_ms']:.1f} ms | — | median <= 50 ms |\n"
        f"| criticality, {c['elements']} elements x {c['pairs']} pairs | {c['seconds']:.2f} s | — | <= 10 s |\n"
    )
    write_results(args.out, "matrix", res, md)
    print(md)


if __name__ == "__main__":
    main()
