"""The regional trade assignment: time and size of the column-generation LP on the bundled
trade matrix, and column generation against the link-based LP on the same sub-instance (the
first N demands), in the same run.  Writes ``assign.json`` and ``assign.md``.

Run: ``python benchmarks/perf/bench_assign.py [--subset 12] [--out benchmarks/results]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from results_io import machine, write_results

from corridors.data import load_network
from corridors.routing import Router
from corridors.trade.assign import assign_link_lp, assign_logit, assign_lp
from corridors.trade.load import demands_from, load_trade


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subset", type=int, default=12, help="demands in the cross-check instance")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results"))
    args = ap.parse_args()
    router = Router(load_network())
    data = load_trade(router.network)
    demands = demands_from(data)
    full, t_full = timed(assign_lp, router, demands, data.capacities)
    logit, t_logit = timed(assign_logit, router, demands, data.capacities)
    sub = demands[: args.subset]
    cg, t_cg = timed(assign_lp, router, sub, data.capacities)
    link, t_link = timed(assign_link_lp, router, sub, data.capacities)
    res = {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine(),
            "network": router.network.version,
        },
        "full": {
            "demands": len(demands),
            "capacities": len(data.capacities),
            "columns": full.columns,
            "iterations": full.iterations,
            "seconds": t_full,
            "objective_usd": full.objective_usd,
            "logit_seconds": t_logit,
            "logit_paths": logit.columns,
        },
        "cross_check": {
            "demands": len(sub),
            "cg_seconds": t_cg,
            "link_lp_seconds": t_link,
            "link_lp_variables": len(sub)
            * int(
                router.graph.mask(
                    __import__("corridors.graph.compile", fromlist=["Filters"]).Filters()
                ).sum()
            ),
            "cg_objective": cg.objective_usd,
            "link_objective": link.objective_usd,
            "relative_difference": abs(cg.objective_usd - link.objective_usd)
            / max(1.0, abs(link.objective_usd)),
        },
    }
    f, c = res["full"], res["cross_check"]
    md = (
        f"# Trade assignment benchmark ({res['meta']['date']})\n\n"
        f"Machine: {res['meta']['machine']}; network {res['meta']['network']}.\n\n"
        f"| run | demands | capacities | columns | iterations | seconds |\n|---|---|---|---|---|---|\n"
        f"| system optimum (column generation, GLOP) | {f['demands']} | {f['capacities']} | "
        f"{f['columns']} | {f['iterations']} | {f['seconds']:.2f} |\n"
        f"| logit with bounded-step prices | {f['demands']} | {f['capacities']} | {f['logit_paths']} | 60 | "
        f"{f['logit_seconds']:.2f} |\n\n"
        f"Cross-check on the first {c['demands']} demands: column generation {c['cg_seconds']:.2f} s, "
        f"link-based LP ({c['link_lp_variables']:,} flow variables) {c['link_lp_seconds']:.2f} s "
        f"(ratio {c['link_lp_seconds'] / max(c['cg_seconds'], 1e-9):.1f}x); objectives differ by "
        f"{c['relative_difference']:.1e} (relative).  Target: the full LP within 5 s.\n"
    )
    write_results(args.out, "assign", res, md)
    print(md)


if __name__ == "__main__":
    main()
