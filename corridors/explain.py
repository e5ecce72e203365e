"""Turn a solver's edge path into a :class:`~corridors.model.Route` an analyst can read.

Legs come from line-haul edges; events from borders, transfers, gauge changes, terminals,
sea-service waits and via dwell.  Every figure is multiplied by the shipment quantity here and
nowhere else.  The provenance lists each source the route used and whether it is published,
computed or an estimate; a default (a crossing without its own dwell or fee, a sea link without
its own frequency) is flagged on its event and in the warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from corridors.graph.build import StateEdge
from corridors.graph.compile import CompiledGraph
from corridors.model import Event, Leg, Network, Route, RouteSummary, TcdPoint

if TYPE_CHECKING:
    from corridors.routing import RouteRequest


def _event_kind(edge: StateEdge, what: str) -> str:
    if edge.kind == "border":
        return "border"
    if edge.kind == "gauge_change":
        return "gauge_change"
    if edge.kind in ("load", "unload"):
        return "terminal"
    if what == "service wait":
        return "service_wait"
    return "port_handling" if "sea" in what else "transfer"


def _steps(net: Network, edge: StateEdge, cargo: str) -> list[Leg | Event]:
    """Legs and events of one edge, for one unit of cargo."""
    out: list[Leg | Event] = []
    if edge.kind in ("line_haul", "border"):
        line = [c for c in edge.components if c.what == "line haul"]
        others = [c for c in edge.components if c.what != "line haul"]
        a, b = edge.tail[0], edge.head[0]
        border_events = [
            Event(
                "border",
                a,
                c.hours,
                c.usd_per_unit[cargo],
                f"{edge.ref}: {net.locations[a].country}->{net.locations[b].country}",
                c.default,
            )
            for c in others
            if edge.kind == "border"
        ]
        out.extend(border_events)
        if edge.distance_km > 0:
            link = net.link_by_id.get(edge.ref)
            gauge = int(edge.tail[1][5:]) if edge.tail[1].startswith("rail_") else None
            countries = tuple(dict.fromkeys((net.locations[a].country, net.locations[b].country)))
            out.append(
                Leg(
                    edge.family,
                    a,
                    b,
                    edge.distance_km,
                    sum(c.hours for c in line),
                    sum(c.usd_per_unit[cargo] for c in line),
                    edge.co2_kg_per_unit[cargo],
                    countries,
                    edge.ref,
                    gauge,
                    edge.status,
                    link.opening_year if link is not None else None,
                )
            )
        if edge.kind == "line_haul":
            out.extend(
                Event(
                    "service_wait",
                    a,
                    c.hours,
                    c.usd_per_unit[cargo],
                    f"{edge.ref}: half the headway",
                    c.default,
                )
                for c in others
            )
        return out
    for c in edge.components:
        out.append(
            Event(
                _event_kind(edge, c.what),
                edge.ref,
                c.hours,
                c.usd_per_unit[cargo],
                c.what,
                c.default,
            )
        )
    return out


def _via_events(
    edges: Sequence[StateEdge], stages: Sequence[tuple[frozenset[str], float, str]], origin: str
) -> dict[int, list[Event]]:
    """Dwell events keyed by the path position after which each via stage is met."""
    out: dict[int, list[Event]] = {}
    k = 0
    positions = [(-1, origin)] + [(i, e.head[0]) for i, e in enumerate(edges)]
    for pos, loc in positions:
        while k < len(stages) and loc in stages[k][0]:
            if stages[k][1] > 0 or stages[k][2].startswith("via"):
                out.setdefault(pos, []).append(
                    Event("via_dwell", loc, stages[k][1], 0.0, stages[k][2])
                )
            k += 1
    return out


def _scale(step: Leg | Event, qty: float) -> Leg | Event:
    if qty == 1.0:
        return step
    if isinstance(step, Leg):
        return replace(step, cost_usd=step.cost_usd * qty, co2_kg=step.co2_kg * qty)
    return replace(step, cost_usd=step.cost_usd * qty)


class Explainer:
    """Explains paths on one compiled graph; per-edge steps and sources are cached per cargo."""

    def __init__(self, net: Network, g: CompiledGraph) -> None:
        self.net = net
        self.g = g
        self._steps: dict[tuple[int, str], tuple[Leg | Event, ...]] = {}
        self._uses: dict[int, tuple[tuple[str, str], ...]] = {}
        self._source_info: dict[str, dict[str, object]] = {}

    def steps_of(self, e: int, cargo: str) -> tuple[Leg | Event, ...]:
        """Legs and events of one edge for one unit of ``cargo``."""
        key = (e, cargo)
        cached = self._steps.get(key)
        if cached is None:
            cached = tuple(_steps(self.net, self.g.edges[e], cargo))
            self._steps[key] = cached
        return cached

    def _uses_of(self, e: int) -> tuple[tuple[str, str], ...]:
        cached = self._uses.get(e)
        if cached is None:
            cached = tuple((key, c.what) for c in self.g.edges[e].components for key in c.sources)
            self._uses[e] = cached
        return cached

    def provenance(self, path: Sequence[int]) -> list[dict[str, object]]:
        """Each source a path used, with what it was used for."""
        used: dict[str, set[str]] = {}
        for e in path:
            for key, what in self._uses_of(e):
                used.setdefault(key, set()).add(what)
        out = []
        for key in sorted(used):
            info = self._source_info.get(key)
            if info is None:
                src = self.net.sources[key]
                info = {
                    "source": key,
                    "kind": src.kind,
                    "title": src.title,
                    "publisher": src.publisher,
                    "url": src.url,
                    "year": src.year,
                }
                self._source_info[key] = info
            out.append({**info, "used_for": sorted(used[key])})
        return out

    def explain(
        self,
        path: Sequence[int],
        *,
        req: RouteRequest,
        origin: str,
        destination: str,
        stages: Sequence[tuple[frozenset[str], float, str]],
        solver: dict[str, Any],
    ) -> Route:
        net, qty, cargo = self.net, req.quantity, req.cargo
        edges = [self.g.edges[i] for i in path]
        via = _via_events(edges, stages, origin) if stages else {}
        steps: list[Leg | Event] = list(via.get(-1, []))
        for i, e in enumerate(path):
            steps.extend(_scale(s, qty) for s in self.steps_of(e, cargo))
            if via:
                steps.extend(via.get(i, []))
        tcd, dist, hours, usd = [TcdPoint(0.0, 0.0, 0.0, origin)], 0.0, 0.0, 0.0
        for s in steps:
            if isinstance(s, Leg):
                dist += s.distance_km
                label = s.to_id
            else:
                label = f"{s.kind} {s.location_id}"
            hours += s.time_h
            usd += s.cost_usd
            tcd.append(TcdPoint(dist, hours, usd, label))
        legs = [s for s in steps if isinstance(s, Leg)]
        countries = tuple(dict.fromkeys(c for leg in legs for c in leg.countries)) or (
            net.locations[origin].country,
        )
        signature = tuple(
            e.ref if e.kind == "border" else f"port {e.ref}"
            for e in edges
            if e.kind == "border" or (e.kind == "transfer" and "sea" in (e.head[1], e.tail[1]))
        )
        summary = RouteSummary(
            cost_usd=usd,
            time_h=hours,
            distance_km=dist,
            co2_kg=sum(leg.co2_kg for leg in legs),
            border_crossings=sum(1 for e in edges if e.kind == "border"),
            countries=countries,
            signature=signature,
        )
        return Route(
            origin=origin,
            destination=destination,
            cargo=cargo,
            quantity=qty,
            objective=req.objective,
            summary=summary,
            steps=tuple(steps),
            tcd=tuple(tcd),
            provenance=tuple(self.provenance(path)),
            warnings=tuple(_warnings(net, edges, steps)),
            solver=solver,
        )


def _warnings(net: Network, edges: Sequence[StateEdge], steps: Sequence[Leg | Event]) -> list[str]:
    out = []
    for ref, status, year in dict.fromkeys(
        (e.ref, e.status, e.opening_year) for e in edges if e.status != "operational"
    ):
        out.append(f"uses {ref} ({status}, expected {year})")
    n_default = sum(1 for s in steps if isinstance(s, Event) and s.default_used)
    if n_default:
        out.append(
            f"{n_default} event(s) use default figures (no own figure for that crossing "
            "or service); see events with default_used"
        )
    estimated = sorted(
        {
            e.ref
            for e in edges
            if e.kind == "line_haul" and not net.is_sourced(net.link_by_id[e.ref].source)
        }
    )
    if estimated:
        out.append("distance estimated from the great circle for: " + ", ".join(estimated))
    return out
