"""Monte Carlo draws against baselines in the same run.

- 2,000 draws x every corridor of one pair (Almaty -> Mundra: 5 corridors, 10 solves per draw)
  in this process, then on a local Dask cluster of 1 and of 2 workers (draws/s, the speed-up
  of 2 workers over 1, and the wall time with the cluster's start-up);
- the baseline a draw would cost without the reweightable graph: the factors applied to the
  network as a scenario (scaled tariffs and dwell), a new router and a new comparison, timed
  on a few draws.

Writes ``uncertainty.json`` and ``uncertainty.md``.
Run: ``python benchmarks/perf/bench_uncertainty.py``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from results_io import machine, write_results

from corridors.api import router as bundled_router
from corridors.compare import compare
from corridors.request import RouteRequest
from corridors.routing import Router
from corridors.scenarios import Changes, apply_changes
from corridors.uncertainty.cluster import dask_client
from corridors.uncertainty.model import load_uncertainty
from corridors.uncertainty.montecarlo import Spec, draw_factors, evaluator_for, run

PAIR = ("Almaty", "Mundra")


def _rebuild_per_draw(r: Router, req: RouteRequest, draws: int) -> float:
    """Seconds per draw when each draw rebuilds the network, router and comparison."""
    model = load_uncertainty(r.network)
    rows = draw_factors(model, draws, 1)
    names = list(model.factors)
    started = time.perf_counter()
    for row in rows:
        f = dict(zip(names, row, strict=True))
        changes = Changes(
            border_dwell_scale=float(f["border_dwell:IR"]),
            tariff_scale={m: float(f[f"tariff:{m}"]) for m in ("rail", "road", "sea_caspian")},
        )
        compare(Router(apply_changes(r.network, changes)), req)
    return (time.perf_counter() - started) / draws


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results"))
    args = ap.parse_args()
    r = bundled_router()
    req = RouteRequest(*PAIR, objective="generalized")
    spec = Spec(None, req)
    model = load_uncertainty(r.network)
    t0 = time.perf_counter()
    ev = evaluator_for(spec)
    t_build = time.perf_counter() - t0
    here = run(ev, model, draws=args.draws, seed=1)
    rebuild_s = _rebuild_per_draw(r, req, 5)
    dask: dict[str, dict[str, float]] = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        with dask_client("local", workers=workers) as client:
            started = time.perf_counter() - t0
            res = run(ev, model, draws=args.draws, seed=1, client=client, spec=spec)
            assert [o.p_best for o in res.outcomes] == [o.p_best for o in here.outcomes]
        dask[str(workers)] = {
            "start_s": started,
            "run_s": res.elapsed_s,
            "draws_per_s": args.draws / res.elapsed_s,
            "wall_s": time.perf_counter() - t0,
        }
    per_draw_here = here.elapsed_s / args.draws
    out = {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine(),
            "network": r.network.version,
            "pair": list(PAIR),
            "corridors": len(ev.corridors),
            "draws": args.draws,
        },
        "evaluator_build_s": t_build,
        "in_process": {"run_s": here.elapsed_s, "draws_per_s": args.draws / here.elapsed_s},
        "dask": dask,
        "speedup_2_over_1_workers": dask["1"]["run_s"] / dask["2"]["run_s"],
        "rebuild_per_draw_s": rebuild_s,
        "reweight_vs_rebuild": rebuild_s / per_draw_here,
    }
    d1, d2 = dask["1"], dask["2"]
    md = (
        f"# Monte Carlo ({out['meta']['date']})\n\n"
        f"Machine: {out['meta']['machine']}; network {out['meta']['network']}; "
        f"{PAIR[0]} -> {PAIR[1]}, {len(ev.corridors)} corridors, {args.draws:,} draws.\n\n"
        "| measurement | result | baseline in the same run | target |\n|---|---|---|---|\n"
        f"| in process | {out['in_process']['draws_per_s']:.0f} draws/s "
        f"({here.elapsed_s:.1f} s) | rebuild per draw: {rebuild_s * 1000:.0f} ms/draw "
        f"({out['reweight_vs_rebuild']:.0f}x slower) | — |\n"
        f"| Dask, 1 worker | {d1['draws_per_s']:.0f} draws/s ({d1['run_s']:.1f} s; "
        f"{d1['wall_s']:.1f} s with start-up) | in process | — |\n"
        f"| Dask, 2 workers | {d2['draws_per_s']:.0f} draws/s ({d2['run_s']:.1f} s; "
        f"{d2['wall_s']:.1f} s with start-up) | 1 worker: "
        f"{out['speedup_2_over_1_workers']:.2f}x speed-up | 2,000 draws <= 10 s |\n"
    )
    write_results(args.out, "uncertainty", out, md)
    print(md)


if __name__ == "__main__":
    main()
