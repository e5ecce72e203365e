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

from corridors.graph.build import Component, StateEdge
from corridors.graph.compile import CompiledGraph
from corridors.graph.states import ComponentKind, EdgeKind, family, gauge_of
from corridors.model import (
    Event,
    Exposure,
    Leg,
    Network,
    ProvenanceEntry,
    Route,
    RouteSummary,
    SolverInfo,
    StageRule,
    TcdPoint,
)
from corridors.risk.pricing import RiskPricing

__all__ = ["Explainer"]


def _event_detail(net: Network, edge: StateEdge, c: Component) -> str:
    a, b = edge.tail[0], edge.head[0]
    if c.kind == ComponentKind.BORDER:
        return f"{edge.ref}: {net.locations[a].country}->{net.locations[b].country}"
    return f"{edge.ref}: {c.what}" if edge.kind == EdgeKind.LINE_HAUL else c.what


def _steps(net: Network, edge: StateEdge, cargo: str) -> list[Leg | Event]:
    """Legs and events of one edge, for one unit of cargo, in travel order.

    On a line-haul or border edge, border formalities come first (at the near side), then what
    the edge lists before its line haul (a ro-ro's drive-on call and wait for the sailing), the
    leg, then the stops it lists after (service wait, en-route stops; a ro-ro's drive-off call,
    at the far side).
    """
    out: list[Leg | Event] = []
    if edge.kind in (EdgeKind.LINE_HAUL, EdgeKind.BORDER):
        line = [c for c in edge.components if c.kind == ComponentKind.LINE_HAUL]
        a, b = edge.tail[0], edge.head[0]
        first = edge.components.index(line[0]) if line else 0

        def event(c: Component, at: str = a) -> Event:
            return Event(
                c.kind.value,
                at,
                c.hours,
                c.usd_per_unit[cargo],
                _event_detail(net, edge, c),
                c.default,
            )

        out.extend(event(c) for c in edge.components if c.kind == ComponentKind.BORDER)
        out.extend(
            event(c)
            for c in edge.components[:first]
            if c.kind not in (ComponentKind.LINE_HAUL, ComponentKind.BORDER)
        )
        if edge.distance_km > 0:
            link = net.link_by_id.get(edge.ref)
            gauge = gauge_of(edge.tail[1])
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
        out.extend(
            event(c, b if c.kind == ComponentKind.PORT_HANDLING else a)
            for c in edge.components[first:]
            if c.kind not in (ComponentKind.LINE_HAUL, ComponentKind.BORDER)
        )
        return out
    for c in edge.components:
        out.append(
            Event(
                c.kind.value,
                edge.ref,
                c.hours,
                c.usd_per_unit[cargo],
                _event_detail(net, edge, c),
                c.default,
            )
        )
    return out


def _via_events(
    edges: Sequence[StateEdge], stages: Sequence[StageRule], origin: str
) -> dict[int, list[Event]]:
    """Dwell events keyed by the path position after which each via stage is met."""
    out: dict[int, list[Event]] = {}
    k = 0
    positions = [(-1, origin)] + [(i, e.head[0]) for i, e in enumerate(edges)]
    for pos, loc in positions:
        while k < len(stages) and loc in stages[k].locations:
            if stages[k].dwell_h > 0 or stages[k].is_via:
                out.setdefault(pos, []).append(
                    Event("via_dwell", loc, stages[k].dwell_h, 0.0, stages[k].name)
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
        self._entries: dict[tuple[str, tuple[str, ...]], ProvenanceEntry] = {}
        self._flags: dict[int, tuple[bool, bool]] = {}

    def steps_of(self, e: int, cargo: str) -> tuple[Leg | Event, ...]:
        """Legs and events of one edge for one unit of ``cargo``."""
        key = (e, cargo)
        cached = self._steps.get(key)
        if cached is None:
            cached = tuple(_steps(self.net, self.g.edges[e], cargo))
            self._steps[key] = cached
        return cached

    def _flags_of(self, e: int) -> tuple[bool, bool]:
        """Whether edge ``e`` crosses a border, and whether it is a port call (cached)."""
        cached = self._flags.get(e)
        if cached is None:
            edge = self.g.edges[e]
            cached = (_crosses_border(edge), _is_port_call(edge))
            self._flags[e] = cached
        return cached

    def _uses_of(self, e: int) -> tuple[tuple[str, str], ...]:
        cached = self._uses.get(e)
        if cached is None:
            cached = tuple((key, c.what) for c in self.g.edges[e].components for key in c.sources)
            self._uses[e] = cached
        return cached

    def provenance(self, path: Sequence[int]) -> list[ProvenanceEntry]:
        """Each source a path used, with what it was used for."""
        used: dict[str, set[str]] = {}
        for e in path:
            for key, what in self._uses_of(e):
                used.setdefault(key, set()).add(what)
        out = []
        for key in sorted(used):
            used_for = tuple(sorted(used[key]))
            entry = self._entries.get((key, used_for))
            if entry is None:
                src = self.net.sources[key]
                entry = ProvenanceEntry(
                    key, src.kind, src.title, src.publisher, src.url, src.year, used_for
                )
                self._entries[(key, used_for)] = entry
            out.append(entry)
        return out

    def explain(
        self,
        path: Sequence[int],
        *,
        cargo: str,
        quantity: float,
        objective: str,
        origin: str,
        destination: str,
        stages: Sequence[StageRule],
        solver: SolverInfo,
        risk: RiskPricing | None = None,
    ) -> Route:
        """The :class:`Route` of an edge path, for ``quantity`` units of ``cargo``; with
        ``risk``, the profile's priced risks as separate lines (never inside the cost)."""
        net, qty = self.net, quantity
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
        flags = [self._flags_of(i) for i in path]
        signature = tuple(
            item
            for e, (border, port) in zip(edges, flags, strict=True)
            for item in _signature_items(e, border, port)
        )
        summary = RouteSummary(
            cost_usd=usd,
            time_h=hours,
            distance_km=dist,
            co2_kg=sum(leg.co2_kg for leg in legs),
            border_crossings=sum(1 for border, _ in flags if border),
            countries=countries,
            signature=signature,
        )
        risk_lines = () if risk is None else risk.lines(path, cargo, qty)
        summary = replace(
            summary,
            risk_usd=sum((x.cost_usd for x in risk_lines), 0.0),
            risk_score=_risk_score(net, countries),
        )
        return Route(
            origin=origin,
            destination=destination,
            cargo=cargo,
            quantity=qty,
            objective=objective,
            summary=summary,
            steps=tuple(steps),
            tcd=tuple(tcd),
            provenance=tuple(self.provenance(path)),
            warnings=tuple(_warnings(net, edges, steps)),
            solver=solver,
            risk_profile="none" if risk is None else risk.profile.name,
            risk=risk_lines,
            exposure=_exposure(net, countries),
        )


def _risk_score(net: Network, countries: Sequence[str]) -> float | None:
    """The worst security score of the countries passed (None when none has one)."""
    scores = [net.risk.security[c].score for c in countries if c in net.risk.security]
    return max(scores) if scores else None


def _exposure(net: Network, countries: Sequence[str]) -> tuple[Exposure, ...]:
    return tuple(
        Exposure(s.target, s.id, s.imposed_by, s.scope, s.summary, s.as_of)
        for c in countries
        for s in net.risk.sanctions
        if s.target == c
    )


def _crosses_border(e: StateEdge) -> bool:
    """A border crossing, or an international air leg (customs on arrival)."""
    return any(c.kind == ComponentKind.BORDER for c in e.components)


def _signature_items(e: StateEdge, border: bool, port: bool) -> tuple[str, ...]:
    """What an edge adds to a route's signature: its crossing, or its port calls (a vehicle
    ferry calls at both its ports)."""
    if e.is_vehicle_ferry:
        return (f"port {e.tail[0]}", f"port {e.head[0]}")
    if port:
        return (f"port {e.ref}",)
    return (e.ref,) if border else ()


def _is_port_call(e: StateEdge) -> bool:
    """A change between ship and land, or ship to ship, at a port (not a shipment's own end)."""
    if e.kind == EdgeKind.TRANSSHIPMENT:
        return True
    return e.kind == EdgeKind.TRANSFER and "sea" in (family(e.head[1]), family(e.tail[1]))


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
            if e.kind == EdgeKind.LINE_HAUL and not net.is_sourced(net.link_by_id[e.ref].source)
        }
    )
    if estimated:
        out.append("distance estimated from the great circle for: " + ", ".join(estimated))
    return out
