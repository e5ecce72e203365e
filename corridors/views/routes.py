"""Views of networks, places, routes and Pareto points: the dicts behind ``--json`` and the
REST API, and the text tables the CLI prints.

:func:`summary_dict` is the one route summary every view uses (rounded to cents, 0.01 h,
0.1 km and 0.1 kg)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any

from corridors.alternatives import Alternative, trade_off
from corridors.countries import COUNTRY_NAMES
from corridors.model import Event, Leg, Location, Network, Route
from corridors.pareto import ParetoPoint

__all__ = [
    "alternative_dict",
    "location_dict",
    "network_info",
    "pareto_point_dict",
    "route_dict",
    "route_text",
    "summary_dict",
    "table",
]


def network_info(net: Network) -> dict[str, Any]:
    """Counts, countries and the share of link distances taken from a named source."""
    by_mode: dict[str, dict[str, int]] = {}
    for link in net.links:
        by_mode.setdefault(link.mode, {}).setdefault(link.status, 0)
        by_mode[link.mode][link.status] += 1
    sourced = [lk for lk in net.links if net.is_sourced(lk.source)]
    km_all = sum(lk.distance_km for lk in net.links)
    km_sourced = sum(lk.distance_km for lk in sourced)
    countries = Counter(loc.country for loc in net.locations.values())
    kinds = Counter(net.sources[lk.source].kind for lk in net.links)
    return {
        "version": net.version,
        "locations": len(net.locations),
        "links": len(net.links),
        "links_by_mode": {m: dict(sorted(s.items())) for m, s in sorted(by_mode.items())},
        "border_crossings": len(net.borders),
        "countries": {
            c: {"name": COUNTRY_NAMES[c], "locations": n} for c, n in sorted(countries.items())
        },
        "sourced_share": round(len(sourced) / len(net.links), 4) if net.links else 0.0,
        "sourced_share_km": round(km_sourced / km_all, 4) if km_all else 0.0,
        "distance_sources": {k: kinds.get(k, 0) for k in ("published", "computed", "estimate")},
        "sources": len(net.sources),
        "price_year": net.params.price_year,
    }


def location_dict(net: Network, loc: Location) -> dict[str, Any]:
    return {
        "id": loc.id,
        "name": loc.name,
        "aliases": list(loc.aliases),
        "country": loc.country,
        "kind": loc.kind,
        "lat": loc.lat,
        "lon": loc.lon,
        "modes": sorted(net.modes_at(loc.id)),
        "unlocode": loc.unlocode or None,
        "iata": loc.iata or None,
    }


_LEG_FIELDS = tuple(f.name for f in fields(Leg))
_EVENT_FIELDS = tuple(f.name for f in fields(Event))


def _record(obj: Leg | Event, names: tuple[str, ...], seq: int) -> dict[str, Any]:
    out: dict[str, Any] = {"seq": seq}
    for name in names:
        value = getattr(obj, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def route_dict(route: Route) -> dict[str, Any]:
    """The route object of DESIGN §8: summary, legs, events, tcd, provenance, warnings.

    Legs and events carry ``seq``, their position in travel order, so the two lists can be
    merged back into the itinerary.
    """
    legs, events = [], []
    for seq, step in enumerate(route.steps):
        if isinstance(step, Leg):
            legs.append(_record(step, _LEG_FIELDS, seq))
        else:
            events.append(_record(step, _EVENT_FIELDS, seq))
    return {
        "origin": route.origin,
        "destination": route.destination,
        "cargo": route.cargo,
        "quantity": route.quantity,
        "objective": route.objective,
        "summary": summary_dict(route),
        "legs": legs,
        "events": events,
        "tcd": [
            {
                "distance_km": p.distance_km,
                "time_h": p.time_h,
                "cost_usd": p.cost_usd,
                "label": p.label,
            }
            for p in route.tcd
        ],
        "provenance": [{**asdict(p), "used_for": list(p.used_for)} for p in route.provenance],
        "warnings": list(route.warnings),
        "solver": asdict(route.solver),
        "risk_profile": route.risk_profile,
        "risk": [
            {**asdict(x), "cost_usd": round(x.cost_usd, 2), "sources": list(x.sources)}
            for x in route.risk
        ],
        "exposure": [asdict(x) for x in route.exposure],
    }


def summary_dict(route: Route) -> dict[str, Any]:
    """The summary of a route, the same in every view."""
    s = route.summary
    return {
        "cost_usd": round(s.cost_usd, 2),
        "time_h": round(s.time_h, 2),
        "time_days": round(s.time_days, 2),
        "distance_km": round(s.distance_km, 1),
        "co2_kg": round(s.co2_kg, 1),
        "border_crossings": s.border_crossings,
        "countries": list(s.countries),
        "signature": list(s.signature),
        "risk_usd": round(s.risk_usd, 2),
        "total_usd": round(s.total_usd, 2),
        "risk_score": s.risk_score,
    }


def _fmt_step(x: Leg | Event) -> list[str]:
    if isinstance(x, Leg):
        what = f"{x.mode}{'' if x.gauge_mm is None else f' {x.gauge_mm}mm'}"
        return [
            what,
            f"{x.from_id} -> {x.to_id}",
            f"{x.distance_km:,.0f}",
            f"{x.time_h:,.1f}",
            f"{x.cost_usd:,.0f}",
            f"{x.co2_kg:,.0f}",
        ]
    flag = " (default)" if x.default_used else ""
    return [
        x.kind,
        f"{x.location_id}: {x.detail}{flag}",
        "",
        f"{x.time_h:,.1f}",
        f"{x.cost_usd:,.0f}",
        "",
    ]


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def route_text(route: Route) -> str:
    s = route.summary
    head = (
        f"{route.origin} -> {route.destination}: {route.quantity:g} x {route.cargo}, "
        f"objective {route.objective}\n"
        f"  cost {s.cost_usd:,.0f} USD | time {s.time_h:,.1f} h ({s.time_days:,.1f} days) | "
        f"{s.distance_km:,.0f} km | {s.co2_kg:,.0f} kg CO2e | {s.border_crossings} border(s)\n"
        f"  countries: {' > '.join(s.countries)}\n"
    )
    body = table(
        [_fmt_step(x) for x in route.steps], ["step", "where", "km", "hours", "USD", "kg CO2e"]
    )
    warn = "".join(f"\nwarning: {w}" for w in route.warnings)
    return head + "\n" + body + _risk_text(route) + warn


def _risk_text(route: Route) -> str:
    """Priced risk lines (the profile's), and the sanctions regimes on the countries passed."""
    s, out = route.summary, []
    if route.risk:
        rows = [
            [x.kind, x.area, x.location_id, f"{x.rate:g} {x.basis}", f"{x.cost_usd:,.0f}"]
            for x in route.risk
        ]
        out.append(
            f"\n\nrisk ({route.risk_profile}): {s.risk_usd:,.0f} USD; "
            f"cost + risk {s.total_usd:,.0f} USD\n"
            + table(rows, ["risk", "area", "where", "rate", "USD"])
        )
    if s.risk_score is not None:
        out.append(f"\nsecurity risk score (worst country, 0-100): {s.risk_score:g}")
    for x in route.exposure:
        out.append(f"\nsanctions: {x.country}: {x.imposed_by} {x.scope} ({x.as_of}): {x.summary}")
    return "".join(out)


def pareto_point_dict(
    point: ParetoPoint, route_view: Callable[[Route], dict[str, Any]] = route_dict
) -> dict[str, Any]:
    """One Pareto point for JSON: summary, the value-of-time flip and optimality range, route.

    ``optimal_for_value_of_time`` is ``{"from": v0, "to": v1}`` (``to`` null: no upper bound),
    or null for a point no value of time makes optimal.
    """
    vot = point.optimal_for_value_of_time
    return {
        "summary": summary_dict(point.route),
        "flip_value_of_time_usd_per_unit_h": point.flip_value_of_time_usd_per_unit_h,
        "optimal_for_value_of_time": None
        if vot is None
        else {"from": vot[0], "to": None if vot[1] == float("inf") else vot[1]},
        "route": route_view(point.route),
    }


def alternative_dict(
    alt: Alternative, route_view: Callable[[Route], dict[str, Any]] = route_dict
) -> dict[str, Any]:
    """One alternative: what it trades against the best, its key elements and its route."""
    return {
        "trade_off": trade_off(alt),
        "key_elements": list(alt.key_elements),
        "delta_cost_usd": round(alt.delta_cost_usd, 2),
        "delta_time_h": round(alt.delta_time_h, 2),
        "avoids_countries": list(alt.avoids_countries),
        "adds_countries": list(alt.adds_countries),
        "route": route_view(alt.route),
    }
