"""Exports: results as flat tables (CSV, Markdown) and GeoJSON, for users' own tools.

Every table is built from the JSON view of the same result (``route_dict``,
``comparison_dict``...), so a CSV read back gives the JSON's numbers.  GeoJSON is an RFC 7946
FeatureCollection of legs (sea legs along their sea lanes), each with its figures and the route
it belongs to.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from corridors.errors import RequestError
from corridors.geojson import route_geojson
from corridors.model import Network, Route

__all__ = [
    "FORMATS",
    "alternatives_rows",
    "comparison_rows",
    "flat_rows",
    "matrix_rows",
    "network_rows",
    "route_rows",
    "routes_geojson",
    "scenario_rows",
    "to_csv",
    "to_markdown",
]

FORMATS = ("text", "json", "csv", "geojson", "md")
SUMMARY_FIELDS = (
    "cost_usd",
    "risk_usd",
    "total_usd",
    "time_h",
    "time_days",
    "distance_km",
    "co2_kg",
    "border_crossings",
)
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "md": "text/markdown; charset=utf-8",
}


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(str(x) for x in value)
    return value


def route_rows(route: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per leg and event of a route (``route_dict``), in travel order."""
    steps = sorted([*route["legs"], *route["events"]], key=lambda s: s["seq"])
    return [
        {
            "seq": s["seq"],
            "step": s.get("mode") or s.get("kind"),
            "from_id": s.get("from_id", ""),
            "to_id": s.get("to_id", ""),
            "location_id": s.get("location_id", s.get("from_id", "")),
            "link_id": s.get("link_id", ""),
            "distance_km": s.get("distance_km", 0.0),
            "time_h": s["time_h"],
            "cost_usd": s["cost_usd"],
            "co2_kg": s.get("co2_kg", 0.0),
            "detail": s.get("detail", ""),
        }
        for s in steps
    ]


def _summary_cells(summary: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: (None if summary is None else summary[k]) for k in SUMMARY_FIELDS} | {
        "countries": "" if summary is None else _cell(summary["countries"])
    }


def comparison_rows(cmp: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per corridor of a comparison (``comparison_dict``), ranked."""
    rows = []
    for rank, r in enumerate(cmp["corridors"], 1):
        gap = r["gap_to_best"] or {}
        rows.append(
            {
                "rank": rank,
                "corridor": r["corridor"],
                "name": r["name"],
                "through_iran": r["through_iran"],
                "status": r["status"],
                **_summary_cells(r["summary"]),
                "gap_objective": gap.get("objective"),
                "gap_cost_usd": gap.get("cost_usd"),
                "gap_time_h": gap.get("time_h"),
                "reason": r["reason"] or "",
            }
        )
    return rows


def alternatives_rows(alts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per alternative (``alternative_dict``)."""
    return [
        {
            "rank": i,
            **_summary_cells(a["route"]["summary"]),
            "delta_cost_usd": a["delta_cost_usd"],
            "delta_time_h": a["delta_time_h"],
            "trade_off": a["trade_off"],
            "key_elements": _cell(a["key_elements"]),
        }
        for i, a in enumerate(alts, 1)
    ]


def matrix_rows(cells: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per origin-destination cell (:class:`corridors.matrix.MatrixCell`)."""
    return [
        {
            "origin": c.origin,
            "destination": c.destination,
            "reachable": c.reachable,
            "objective": c.objective if c.reachable else None,
            "cost_usd": round(c.cost_usd, 2),
            "risk_usd": round(c.risk_usd, 2),
            "time_h": round(c.time_h, 2),
            "distance_km": round(c.distance_km, 1),
            "co2_kg": round(c.co2_kg, 1),
            "border_crossings": c.border_crossings,
            "iran_share_km": round(c.iran_share_km, 4),
            "corridors": list(c.corridors),
        }
        for c in cells
    ]


def scenario_rows(results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per query of a scenario run (``scenario_result_dict``): baseline, scenario, diff."""
    rows = []
    for r in results:
        base, scen, diff = r["baseline"]["best"], r["scenario"]["best"], r["diff"]["best"] or {}
        rows.append(
            {
                "origin": r["origin"],
                "destination": r["destination"],
                "cargo": r["cargo"],
                "risk_profile": r.get("risk_profile", "none"),
                "baseline_total_usd": None if base is None else base["total_usd"],
                "scenario_total_usd": None if scen is None else scen["total_usd"],
                "delta_total_usd": diff.get("total_usd"),
                "delta_risk_usd": diff.get("risk_usd"),
                "delta_time_h": diff.get("time_h"),
                "baseline_corridor": r["baseline"]["best_corridor"],
                "scenario_corridor": r["scenario"]["best_corridor"],
            }
        )
    return rows


def flat_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose list cells are joined with ``;`` (for CSV, Parquet and data frames)."""
    return [{k: _cell(v) for k, v in r.items()} for r in rows]


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """RFC 4180 CSV with a header; lists joined with ``;``; None as an empty cell."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat_rows(rows))
    return out.getvalue()


def to_markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """A Markdown table of the rows (``|`` in cells escaped)."""
    if not rows:
        return ""
    header = list(rows[0])

    def cell(v: Any) -> str:
        text = "" if v is None else str(_cell(v))
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(r.get(k)) for k in header) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def network_rows(net: Network) -> list[dict[str, Any]]:
    """Every link and border crossing with its attributes and its distance's source."""
    from corridors.geojson import line_of

    rows = []
    items: list[tuple[str, Any]] = [("link", x) for x in net.links]
    items += [("border", x) for x in net.borders]
    for feature, x in items:
        src = net.sources[x.source]
        _, drawn = line_of(net, x.id, x.from_id, x.to_id)
        rows.append(
            {
                "id": x.id,
                "feature": feature,
                "mode": x.mode,
                "from_id": x.from_id,
                "to_id": x.to_id,
                "from_country": net.locations[x.from_id].country,
                "to_country": net.locations[x.to_id].country,
                "distance_km": x.distance_km,
                "status": x.status,
                "opening_year": x.opening_year,
                "gauge_mm": getattr(x, "gauge_mm", None) or _cell(getattr(x, "gauges_mm", ())),
                "basin": getattr(x, "basin", None),
                "passages": _cell(getattr(x, "passages", ())),
                "service": getattr(x, "service", None),
                "dwell_h": getattr(x, "dwell_h", None),
                "dwell_h_back": getattr(x, "dwell_h_back", None),
                "source": x.source,
                "source_kind": src.kind,
                "source_title": src.title,
                "source_url": src.url,
                "source_year": src.year,
                "geometry": drawn,
            }
        )
    return rows


def routes_geojson(net: Network, routes: Sequence[tuple[str, Route]]) -> dict[str, Any]:
    """The legs of several routes in one FeatureCollection; ``route`` names each leg's route."""
    features = []
    for label, route in routes:
        for f in route_geojson(net, route)["features"]:
            f["properties"] = {"route": label, **f["properties"]}
            features.append(f)
    return {"type": "FeatureCollection", "features": features}


def unsupported(what: str, fmt: str, allowed: Sequence[str]) -> RequestError:
    return RequestError(f"{what} cannot be written as {fmt}; use one of {', '.join(allowed)}")
