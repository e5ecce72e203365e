"""Views of an assignment: element flows with shadow prices, Iran's shares by state and
commodity, corridor tonnes; JSON, CSV tables, a Markdown report and charts."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from corridors.charts import figure_bytes, new_figure
from corridors.compare import follows
from corridors.model import SolverInfo
from corridors.routing import Router
from corridors.trade.assign import AssignmentResult
from corridors.trade.model import COMMODITY_CARGO, Demand
from corridors.views.suite import md_table

__all__ = ["assignment_dict", "assignment_markdown", "csv_tables", "iran_share_chart"]

STATES = ("KZ", "KG", "TJ", "TM", "UZ")
IRAN = "IR"


def _path_countries(router: Router, edges: Sequence[int]) -> set[str]:
    g = router.graph
    return {str(g.loc_country[g.tail_loc[e]]) for e in edges} | {
        str(g.loc_country[g.head_loc[e]]) for e in edges
    }


def iran_shares(
    router: Router, demands: Sequence[Demand], res: AssignmentResult
) -> list[dict[str, Any]]:
    """For each of the five states and the region, by commodity and in all: tonnes of trade,
    Iran's share as a partner, and the share of the tonnes whose route crosses Iran (Iran's own
    trade excluded from the numerator: transit only)."""
    through: dict[int, float] = defaultdict(float)
    for p in res.paths:
        if IRAN in _path_countries(router, p.edges):
            through[p.demand] += p.t_per_yr
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for k, d in enumerate(demands):
        if d.kind != "trade" or d.reporter not in STATES:
            continue
        for who in (d.reporter, "region"):
            for group in (d.commodity, "all"):
                a = acc[(who, group)]
                a[0] += d.t_per_yr
                a[1] += d.t_per_yr if d.partner == IRAN else 0.0
                a[2] += through[k] if d.partner != IRAN else 0.0
                a[3] += res.unserved_t[k]
    rows = []
    for (who, group), (total, partner, transit, unserved) in sorted(acc.items()):
        rows.append(
            {
                "state": who,
                "commodity": group,
                "trade_t_per_yr": round(total, 1),
                "iran_partner_share": round(partner / total, 4) if total else 0.0,
                "through_iran_share": round(transit / total, 4) if total else 0.0,
                "unserved_t_per_yr": round(unserved, 1),
            }
        )
    return rows


def corridor_tonnes(
    router: Router, demands: Sequence[Demand], res: AssignmentResult
) -> dict[str, float]:
    """Tonnes per year on each named corridor (a path may follow several; 'direct' if none)."""
    out: dict[str, float] = defaultdict(float)
    for p in res.paths:
        d = demands[p.demand]
        route = router.explainer.explain(
            list(p.edges),
            cargo=COMMODITY_CARGO[d.commodity],
            quantity=1.0,
            objective="generalized",
            origin=d.origin,
            destination=d.destination,
            stages=(),
            solver=SolverInfo("assignment", res.status, 0.0),
        )
        names = [
            c.id for c in router.network.corridors.values() if follows(router.network, route, c)
        ]
        for name in names or ["direct"]:
            out[name] += p.t_per_yr
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _elements(res: AssignmentResult) -> list[dict[str, Any]]:
    rows = []
    for name, cap in res.element_capacity_t.items():
        flow = res.element_flow_t.get(name, 0.0)
        rows.append(
            {
                "element": name,
                "flow_t_per_yr": round(flow, 1),
                "capacity_t_per_yr": cap,
                "utilisation": round(flow / cap, 4) if cap else None,
                "shadow_price_usd_per_t": round(res.shadow_price_usd_per_t.get(name, 0.0), 4),
            }
        )
    return sorted(rows, key=lambda r: (-r["shadow_price_usd_per_t"], -(r["utilisation"] or 0)))


def assignment_dict(
    router: Router, demands: Sequence[Demand], res: AssignmentResult, *, with_corridors: bool = True
) -> dict[str, Any]:
    return {
        "network": router.network.version,
        "method": res.method,
        "status": res.status,
        "objective_usd": round(res.objective_usd, 2),
        "demand_t_per_yr": round(sum(d.t_per_yr for d in demands), 1),
        "unserved_t_per_yr": round(sum(res.unserved_t), 1),
        "iterations": res.iterations,
        "columns": res.columns,
        "elapsed_s": round(res.elapsed_s, 3),
        "elements": _elements(res),
        "iran_shares": iran_shares(router, demands, res),
        "corridors_t_per_yr": corridor_tonnes(router, demands, res) if with_corridors else {},
        "notes": list(res.notes),
    }


def csv_tables(view: dict[str, Any]) -> dict[str, str]:
    """The view's tables as CSV texts: elements.csv, iran_shares.csv, corridors.csv."""
    out = {}
    for name, rows in (
        ("elements.csv", view["elements"]),
        ("iran_shares.csv", view["iran_shares"]),
        (
            "corridors.csv",
            [
                {"corridor": k, "t_per_yr": round(v, 1)}
                for k, v in view["corridors_t_per_yr"].items()
            ],
        ),
    ):
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        out[name] = buf.getvalue()
    return out


def assignment_markdown(views: dict[str, dict[str, Any]]) -> str:
    """Report of one or more runs (e.g. capacitated and uncapacitated)."""
    lines = ["# corridors — the region's trade on the network", ""]
    for label, v in views.items():
        lines += [
            f"## {label}",
            "",
            f"Network {v['network']}; method {v['method']} ({v['status']}); "
            f"{v['demand_t_per_yr']:,.0f} t/yr of demand, {v['unserved_t_per_yr']:,.0f} t/yr "
            f"unserved; total generalized cost {v['objective_usd']:,.0f} USD/yr.",
            "",
            "### Iran's share of the five states' trade (tonnes)",
            "",
        ]
        rows = [
            [
                r["state"],
                r["commodity"],
                f"{r['trade_t_per_yr']:,.0f}",
                f"{r['iran_partner_share']:.1%}",
                f"{r['through_iran_share']:.1%}",
                f"{r['unserved_t_per_yr']:,.0f}",
            ]
            for r in v["iran_shares"]
        ]
        lines += md_table(
            (
                "state",
                "commodity",
                "trade t/yr",
                "with Iran",
                "through Iran (transit)",
                "unserved t/yr",
            ),
            rows,
        )
        lines += ["", "### Capacities: flow, utilisation and shadow price", ""]
        rows = [
            [
                e["element"],
                f"{e['flow_t_per_yr']:,.0f}",
                f"{e['capacity_t_per_yr']:,.0f}",
                "—" if e["utilisation"] is None else f"{e['utilisation']:.0%}",
                f"{e['shadow_price_usd_per_t']:,.2f}",
            ]
            for e in v["elements"]
        ]
        lines += md_table(
            ("element", "flow t/yr", "capacity t/yr", "used", "USD per extra t/yr"), rows
        )
        if v["corridors_t_per_yr"]:
            lines += ["", "### Tonnes per year by corridor followed", ""]
            lines += md_table(
                ("corridor", "t/yr"),
                [[k, f"{t:,.0f}"] for k, t in v["corridors_t_per_yr"].items()],
            )
        lines += [""] + [f"- {n}" for n in v["notes"]] + [""]
    return "\n".join(lines) + "\n"


def iran_share_chart(view: dict[str, Any], fmt: str = "png") -> bytes:
    """Bars: Iran as a partner and Iran as a transit country, per state (all commodities)."""
    rows = [r for r in view["iran_shares"] if r["commodity"] == "all"]
    fig = new_figure(8, 4)
    ax = fig.subplots()
    xs = range(len(rows))
    ax.bar(
        [x - 0.2 for x in xs], [100 * r["iran_partner_share"] for r in rows], 0.4, label="with Iran"
    )
    ax.bar(
        [x + 0.2 for x in xs],
        [100 * r["through_iran_share"] for r in rows],
        0.4,
        label="through Iran",
    )
    ax.set_xticks(list(xs), [r["state"] for r in rows])
    ax.set_ylabel("share of trade tonnes (%)")
    ax.legend()
    ax.set_title(f"Iran's share of Central Asian trade ({view['method']})")
    fig.text(0.01, 0.0, f"corridors, network {view['network']}", fontsize=7, color="dimgrey")
    return figure_bytes(fig, fmt)
