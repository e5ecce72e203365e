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
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from corridors.charts import chart_footnote, tcd_chart
from corridors.compare import Comparison, compare
from corridors.model import Network
from corridors.risk.gaps import GapRow, gap_decomposition
from corridors.routing import Router
from corridors.scenarios import Query, Scenario, base_request, load_scenario, run_scenario
from corridors.views.comparison import scenario_result_dict

__all__ = ["Progress", "SuiteTiming", "run_suite"]

Progress = Callable[[str, int, int], None]  # (what, done, total)
SuiteTiming = dict[str, float]


def _no_progress(label: str, done: int, total: int) -> None:
    return None


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table; every row must have the header's width (a mismatch is a bug)."""
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"table row has {len(row)} cells, header {len(header)}: {row}")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows]
    return lines


def _usd(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _days(hours: float | None) -> str:
    return "—" if hours is None else f"{hours / 24:,.1f}"


def _signed(x: float | None, scale: float = 1.0, digits: int = 0) -> str:
    """A signed change, or 0 when it rounds to nothing (never '+0')."""
    if x is None:
        return "—"
    v = round(x / scale, digits)
    return "0" if v == 0 else f"{v:+,.{digits}f}"


IRAN_HEADER = (
    "origin",
    "destination",
    "best route: USD",
    "days",
    "follows",
    "best through Iran",
    "USD",
    "days",
    "best avoiding Iran: USD",
    "days",
    "Δ USD (Iran − other)",
    "Δ days",
)


def _iran_table(baselines: dict[Query, Comparison]) -> list[str]:
    rows = []
    for q, c in baselines.items():
        ov = c.best_overall.summary if c.best_overall else None
        t = c.best_through_iran
        tr = t.route.summary if t and t.route else None
        av = c.best_avoiding_iran.summary if c.best_avoiding_iran else None
        d = c.delta
        rows.append(
            [
                q.origin,
                q.destination,
                _usd(ov.cost_usd if ov else None),
                _days(ov.time_h if ov else None),
                ", ".join(c.best_follows) or ("direct" if ov else "—"),
                t.corridor.name if t else "—",
                _usd(tr.cost_usd if tr else None),
                _days(tr.time_h if tr else None),
                _usd(av.cost_usd if av else None),
                _days(av.time_h if av else None),
                _signed(d["cost_usd"] if d else None),
                _signed(d["time_h"] if d else None, 24, 1),
            ]
        )
    return md_table(IRAN_HEADER, rows)


SCENARIO_HEADER = (
    "origin",
    "destination",
    "Δ best USD",
    "of which risk",
    "Δ best days",
    "best corridor (base → scenario)",
    "targeted corridors: Δ USD / Δ days",
    "Δ through Iran USD",
    "Δ avoiding Iran USD",
)


def _target_cell(r: dict[str, Any], targets: Sequence[str]) -> str:
    """The scenario's effect on the corridors it is about (or the one that moved most)."""
    diffs = r["diff"]["corridors"]
    ids = [t for t in targets if t in diffs] or sorted(
        (k for k, v in diffs.items() if v), key=lambda k: -abs(diffs[k]["total_usd"])
    )[:1]
    cells = []
    for k in ids:
        v = diffs.get(k)
        base, scen = r["baseline"]["corridors"].get(k), r["scenario"]["corridors"].get(k)
        if v is None:
            cells.append(
                f"{k}: {'opens' if scen and not base else 'closes' if base else 'no route'}"
            )
        else:
            cells.append(f"{k}: {_signed(v['total_usd'])} / {_signed(v['time_h'], 24, 1)}")
    return "; ".join(cells) or "—"


def _profile_note(r: dict[str, Any]) -> str:
    """`` (profile[, avoiding sanctioned])`` for a query with a risk profile."""
    profile = r.get("risk_profile", "none")
    if profile == "none":
        return ""
    return f" ({profile}{', avoiding sanctioned' if r.get('avoid_sanctioned') else ''})"


def _scenario_rows(results: list[dict[str, Any]], targets: Sequence[str]) -> list[str]:
    rows = []
    unchanged = 0
    for r in results:
        d = r["diff"]
        moved = d["best"] and (abs(d["best"]["total_usd"]) > 0.5 or abs(d["best"]["time_h"]) > 0.05)
        corridor_moves = any(v and abs(v["total_usd"]) > 0.5 for v in d["corridors"].values())
        lost = (r["baseline"]["best"] is None) != (r["scenario"]["best"] is None)
        if not (moved or corridor_moves or lost or d["best_corridor_changed"]):
            unchanged += 1
            continue
        best = d["best"]
        ti, av = d["best_through_iran"], d["best_avoiding_iran"]
        rows.append(
            [
                r["origin"],
                r["destination"] + _profile_note(r),
                "no route"
                if r["scenario"]["best"] is None
                else _signed(best and best["total_usd"]),
                _signed(best["risk_usd"] if best else None),
                _signed(best["time_h"] if best else None, 24, 1),
                f"{r['baseline']['best_corridor']} → {r['scenario']['best_corridor']}",
                _target_cell(r, targets),
                _signed(ti["total_usd"] if ti else None),
                _signed(av["total_usd"] if av else None),
            ]
        )
    lines = md_table(SCENARIO_HEADER, rows)
    lines.append(f"\n{unchanged} of {len(results)} pairs unchanged (no corridor's cost moved).")
    return lines


def run_suite(
    router: Router,
    scenario_dir: Path,
    out_dir: Path,
    *,
    progress: Progress = _no_progress,
    charts: bool = True,
    client: Any = None,
) -> tuple[dict[str, Any], SuiteTiming]:
    """Run every scenario in ``scenario_dir``; write report.md, report.json and charts/.

    With a Dask ``client`` the scenarios run as Dask tasks (:func:`corridors.sweep.sweep`);
    the baseline comparisons are still timed here.

    Returns
    -------
    report, timing
        The report as written to report.json, and the baseline comparisons' timing
        (``comparisons``, ``median_ms``, ``p99_ms``).
    """
    paths = sorted(scenario_dir.glob("*.toml"))
    scenarios: list[Scenario] = [load_scenario(p, router) for p in paths]
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
    pairs = list(
        dict.fromkeys(
            replace(base_request(q), risk_profile="none", avoid_sanctioned=False) for q in queries
        )
    )
    gaps = gap_decomposition(
        router,
        pairs,
        progress=lambda d, t: progress("risk gaps", d, t),
        known={base_request(q): c for q, c in baselines.items() if q.corridors == ()},
    )
    report: dict[str, Any] = {
        "network": router.network.version,
        "risk_gaps": [gap_dict(g) for g in gaps],
        "scenarios": [],
    }
    on_dask = None
    if client is not None:
        from corridors.sweep import sweep

        data_dir = router.network.data_dir
        on_dask = sweep(str(data_dir) if data_dir else None, paths, client)
    for i, (path, sc) in enumerate(zip(paths, scenarios, strict=True), 1):
        results = (
            on_dask[path.name]
            if on_dask is not None
            else [
                scenario_result_dict(r) for r in run_scenario(router, sc, baseline_cache=baselines)
            ]
        )
        report["scenarios"].append(
            {
                "id": sc.id,
                "name": sc.name,
                "description": sc.description,
                "targets": list(sc.targets),
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
        _write_charts(baselines, out_dir / "charts", progress, router.network)
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
            if r.get("risk_profile", "none") != "none":
                key += f"_{r['risk_profile']}"
            if r.get("avoid_sanctioned"):
                key += "_avoiding_sanctioned"
            baselines.setdefault(key, r["baseline"])
            results.append({k: v for k, v in r.items() if k != "baseline"} | {"baseline": key})
        scenarios.append({**sc, "results": results})
    return {
        "network": report["network"],
        "baselines": baselines,
        "risk_gaps": report["risk_gaps"],
        "scenarios": scenarios,
    }


def gap_dict(g: GapRow) -> dict[str, Any]:
    """One row of the risk decomposition, rounded like every summary."""

    def r2(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    return {
        "origin": g.origin,
        "destination": g.destination,
        "profile": g.profile,
        "through_iran": g.through_iran,
        "gap_usd": r2(g.gap_usd),
        "cost_usd": r2(g.cost_usd),
        "time_value_usd": r2(g.time_value_usd),
        "risk_usd": r2(g.risk_usd),
        "time_h": r2(g.time_h),
        "risk_share": None if g.risk_share is None else round(g.risk_share, 3),
        "reason": g.reason,
    }


RISK_HEADER = (
    "origin",
    "destination",
    "profile",
    "best through Iran",
    "gap USD",
    "of which cost",
    "time value",
    "risk",
    "risk share",
    "wins",
)


def _risk_section(gaps: list[dict[str, Any]]) -> list[str]:
    rows, skipped = [], 0
    for g in gaps:
        gap = g["gap_usd"]
        if gap is None:  # no route through Iran, or none avoiding it (a place in Iran)
            skipped += 1
            continue
        wins = "Iran" if gap < 0 else "other"
        share = g["risk_share"]
        rows.append(
            [
                g["origin"],
                g["destination"],
                g["profile"],
                g["through_iran"],
                _signed(gap),
                _signed(g["cost_usd"]),
                _signed(g["time_value_usd"]),
                _signed(g["risk_usd"]),
                "—" if share is None else f"{share:.0%}",
                wins,
            ]
        )
    return [
        "## Risk and policy: what the gap through Iran is made of, per shipper profile",
        "",
        "Gap = best route through Iran − best route avoiding Iran, in generalized cost (USD per "
        "TEU) under each profile of `network_data/risk/profiles.toml`: transport cost + value "
        "of time x time + priced risk (war-risk, sanctions and security premiums, "
        "`network_data/risk/premiums.csv`).  Negative: Iran wins.  Risk share = |risk| / "
        "(|cost| + |time value| + |risk|).",
        "",
        *md_table(RISK_HEADER, rows),
        "",
        f"{skipped} pair-profile rows left out: no route through Iran, or none avoiding it (an "
        "end in Iran); see `risk_gaps` in report.json.",
        "",
    ]


def _changes_dict(sc: Scenario) -> dict[str, Any]:
    ch = sc.changes
    return {
        k: (list(v) if isinstance(v, tuple) else dict(v) if isinstance(v, dict) else v)
        for k, v in ch.__dict__.items()
    }


def _slug(q: Query) -> str:
    name = f"{q.origin}_{q.destination}" + (
        "" if q.risk_profile == "none" else f"_{q.risk_profile}"
    )
    return "".join(c if c.isalnum() else "_" for c in name).lower()


def _write_charts(
    baselines: dict[Query, Comparison], chart_dir: Path, progress: Progress, net: Network
) -> None:
    chart_dir.mkdir(parents=True, exist_ok=True)
    names = {loc.id: loc.name for loc in net.locations.values()}
    for i, (q, c) in enumerate(baselines.items(), 1):
        routes = []
        if c.best_through_iran and c.best_through_iran.route:
            routes.append(
                (f"through Iran: {c.best_through_iran.corridor.name}", c.best_through_iran.route)
            )
        if c.best_avoiding_iran:
            routes.append(("best avoiding Iran", c.best_avoiding_iran))
        if routes:
            note = chart_footnote(net.version, routes[0][1], c.value_of_time_usd_per_unit_h)
            chart = tcd_chart(routes, "png", names=names, footnote=note)
            (chart_dir / f"{_slug(q)}.png").write_bytes(chart)
        progress("charts", i, len(baselines))


def _markdown(report: dict[str, Any], baselines: dict[Query, Comparison], charts: bool) -> str:
    lines = [
        "# corridors — scenario suite report",
        "",
        f"Network {report['network']}; {len(baselines)} origin-destination pairs, "
        f"{len(report['scenarios'])} scenarios; 1 TEU container, ranked by generalized cost "
        "(cost + the container's value of time x time).  Costs in USD per TEU (transport cost plus "
        "the priced risk of the query's shipper profile, shown in brackets; none: no risk), "
        "times in days; "
        "Δ = scenario − baseline (or through Iran − avoiding Iran); 'follows' names the "
        "corridors the best route of all keeps to ('direct': none).",
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
    lines += _risk_section(report["risk_gaps"])
    for sc in report["scenarios"]:
        lines += [
            f"## {sc['name']} (`{sc['id']}`)",
            "",
            sc["description"],
            "",
            *_scenario_rows(sc["results"], sc.get("targets", [])),
            "",
        ]
    return "\n".join(lines) + "\n"
