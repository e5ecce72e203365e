"""The analyst scenario suite: every bundled scenario over its origin-destination pairs,
written as a report (Markdown + JSON + time/cost-distance charts).

The baseline of each query is computed once, shared by all scenarios and stored once in
``report.json`` (under ``baselines``, keyed ``<origin>_<destination>_<cargo>_<objective>_<quantity>``); each scenario result
holds the scenario side and its diff.  The files hold no timings, so a rerun on the same
network writes the same bytes; :func:`run_suite` returns the comparison timings separately.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corridors.charts import tcd_chart
from corridors.compare import Comparison, compare
from corridors.routing import Router
from corridors.scenarios import Query, Scenario, base_request, load_scenario, run_scenario
from corridors.views.comparison import scenario_result_dict

__all__ = ["Progress", "SuiteTiming", "run_suite"]

Progress = Callable[[str, int, int], None]  # (what, done, total)
SuiteTiming = dict[str, float]


def _no_progress(label: str, done: int, total: int) -> None:
    return None


def _fmt(x: float | None, unit: str = "") -> str:
    return "—" if x is None else f"{x:+,.0f}{unit}" if unit == "Δ" else f"{x:,.0f}"


def _iran_table(baselines: dict[Query, Comparison]) -> list[str]:
    rows = [
        "| origin | destination | best corridor | best through Iran | USD | days | "
        "best avoiding Iran: USD | days | Δ USD (Iran − other) | Δ days |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for q, c in baselines.items():
        best = next((r.corridor.name for r in c.results if r.route), "—")
        t = c.best_through_iran
        tr = t.route.summary if t and t.route else None
        av = c.best_avoiding_iran.summary if c.best_avoiding_iran else None
        d = c.delta
        tr_days = "—" if tr is None else f"{tr.time_days:.1f}"
        av_days = "—" if av is None else f"{av.time_days:.1f}"
        d_usd = "—" if d is None else f"{d['cost_usd']:+,.0f}"
        d_days = "—" if d is None else f"{d['time_h'] / 24:+.1f}"
        ov = c.best_overall.summary if c.best_overall else None
        ov_days = "—" if ov is None else f"{ov.time_days:.1f}"
        rows.append(
            f"| {q.origin} | {q.destination} | {_fmt(ov.cost_usd if ov else None)} | {ov_days} | "
            f"{best} | {t.corridor.name if t else '—'} | "
            f"{_fmt(tr.cost_usd if tr else None)} | {tr_days} | "
            f"{_fmt(av.cost_usd if av else None)} | {av_days} | {d_usd} | {d_days} |"
        )
    return rows


def _scenario_rows(results: list[dict[str, Any]]) -> list[str]:
    rows = [
        "| origin | destination | Δ best USD | Δ best days | best corridor (base → scenario) | "
        "Δ through Iran USD | Δ avoiding Iran USD |",
        "|---|---|---|---|---|---|---|",
    ]
    unchanged = 0
    for r in results:
        d = r["diff"]
        moved = d["best"] and (abs(d["best"]["cost_usd"]) > 0.5 or abs(d["best"]["time_h"]) > 0.05)
        corridor_moves = any(v and abs(v["cost_usd"]) > 0.5 for v in d["corridors"].values())
        lost = (r["baseline"]["best"] is None) != (r["scenario"]["best"] is None)
        if not (moved or corridor_moves or lost or d["best_corridor_changed"]):
            unchanged += 1
            continue
        best = d["best"]
        b, s = r["baseline"]["best_corridor"], r["scenario"]["best_corridor"]
        ti, av = d["best_through_iran"], d["best_avoiding_iran"]
        if r["scenario"]["best"] is None:
            d_usd = "no route"
        else:
            d_usd = _fmt(best["cost_usd"] if best else None, "Δ")
        d_days = "—" if not best else f"{best['time_h'] / 24:+.1f}"
        ti_usd = _fmt(ti["cost_usd"] if ti else None, "Δ")
        av_usd = _fmt(av["cost_usd"] if av else None, "Δ")
        rows.append(
            f"| {r['origin']} | {r['destination']} | {d_usd} | {d_days} | {b} → {s} | "
            f"{ti_usd} | {av_usd} |"
        )
    rows.append(f"\n{unchanged} of {len(results)} pairs unchanged (no corridor's cost moved).")
    return rows


def run_suite(
    router: Router,
    scenario_dir: Path,
    out_dir: Path,
    *,
    progress: Progress = _no_progress,
    charts: bool = True,
) -> tuple[dict[str, Any], SuiteTiming]:
    """Run every scenario in ``scenario_dir``; write report.md, report.json and charts/.

    Returns
    -------
    report, timing
        The report as written to report.json, and the baseline comparisons' timing
        (``comparisons``, ``median_ms``, ``p99_ms``).
    """
    scenarios: list[Scenario] = [
        load_scenario(p, router) for p in sorted(scenario_dir.glob("*.toml"))
    ]
    if not scenarios:
        raise FileNotFoundError(f"no scenario files in {scenario_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    baselines: dict[Query, Comparison] = {}
    timings: list[float] = []
    queries = list(dict.fromkeys(q for sc in scenarios for q in sc.queries))
    for i, q in enumerate(queries, 1):
        t0 = time.perf_counter()
        baselines[q] = compare(router, base_request(q), q.corridors or None)
        timings.append(time.perf_counter() - t0)
        progress("baseline comparisons", i, len(queries))
    report: dict[str, Any] = {"network": router.network.version, "scenarios": []}
    for i, sc in enumerate(scenarios, 1):
        results = [
            scenario_result_dict(r) for r in run_scenario(router, sc, baseline_cache=baselines)
        ]
        report["scenarios"].append(
            {
                "id": sc.id,
                "name": sc.name,
                "description": sc.description,
                "changes": _changes_dict(sc),
                "results": results,
            }
        )
        progress(f"scenario {sc.id}", i, len(scenarios))
    ms = sorted(t * 1000 for t in timings)
    timing = {
        "comparisons": float(len(ms)),
        "median_ms": statistics.median(ms),
        "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))],
    }
    if charts:
        _write_charts(baselines, out_dir / "charts", progress)
    (out_dir / "report.md").write_text(_markdown(report, baselines, charts))
    stored = _store_baselines_once(report)
    (out_dir / "report.json").write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
    return stored, timing


def _store_baselines_once(report: dict[str, Any]) -> dict[str, Any]:
    """The report with each query's baseline moved from every scenario result to one place."""
    baselines: dict[str, Any] = {}
    scenarios = []
    for sc in report["scenarios"]:
        results = []
        for r in sc["results"]:
            key = (
                f"{r['origin']}_{r['destination']}_{r['cargo']}_{r['objective']}_{r['quantity']:g}"
            )
            baselines.setdefault(key, r["baseline"])
            results.append({k: v for k, v in r.items() if k != "baseline"} | {"baseline": key})
        scenarios.append({**sc, "results": results})
    return {"network": report["network"], "baselines": baselines, "scenarios": scenarios}


def _changes_dict(sc: Scenario) -> dict[str, Any]:
    ch = sc.changes
    return {
        k: (list(v) if isinstance(v, tuple) else dict(v) if isinstance(v, dict) else v)
        for k, v in ch.__dict__.items()
    }


def _slug(q: Query) -> str:
    return "".join(c if c.isalnum() else "_" for c in f"{q.origin}_{q.destination}").lower()


def _write_charts(baselines: dict[Query, Comparison], chart_dir: Path, progress: Progress) -> None:
    chart_dir.mkdir(parents=True, exist_ok=True)
    for i, (q, c) in enumerate(baselines.items(), 1):
        routes = []
        if c.best_through_iran and c.best_through_iran.route:
            routes.append(
                (f"through Iran: {c.best_through_iran.corridor.name}", c.best_through_iran.route)
            )
        if c.best_avoiding_iran:
            routes.append(("best avoiding Iran", c.best_avoiding_iran))
        if routes:
            (chart_dir / f"{_slug(q)}.png").write_bytes(tcd_chart(routes, "png"))
        progress("charts", i, len(baselines))


def _markdown(report: dict[str, Any], baselines: dict[Query, Comparison], charts: bool) -> str:
    lines = [
        "# corridors — scenario suite report",
        "",
        f"Network {report['network']}; {len(baselines)} origin-destination pairs, "
        f"{len(report['scenarios'])} scenarios; 1 TEU container, least cost.  Costs in "
        "USD per TEU; Δ = scenario − baseline (or through Iran − avoiding Iran).",
        "",
        "## Baseline: the best route through Iran against the best route avoiding it",
        "",
        *_iran_table(baselines),
        "",
    ]
    if charts:
        lines += [
            "Time/cost-distance charts of both routes per pair: `charts/<origin>_<destination>.png`.",
            "",
        ]
    for sc in report["scenarios"]:
        lines += [
            f"## {sc['name']} (`{sc['id']}`)",
            "",
            sc["description"],
            "",
            *_scenario_rows(sc["results"]),
            "",
        ]
    return "\n".join(lines) + "\n"
