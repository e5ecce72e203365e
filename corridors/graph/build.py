"""Expand the physical network into a state graph, the way NODUS builds its virtual network.

A node is ``(location_id, state)``; states are ``rail_<gauge>``, ``road``, ``sea``, ``air``,
plus ``src`` (where a shipment enters at its origin) and ``dst`` (where it leaves at its
destination).  ``src`` has only outgoing and ``dst`` only incoming edges, so neither can be a
shortcut in the middle of a route.

Edge families, one private builder each, assembled in :func:`build_state_edges`:

- line haul (``line_haul``): a link, both directions, in the state of its mode (and gauge);
  time = distance / speed, plus the expected wait for a sea service (half the headway);
- border (``border``): a crossing between the two sides of a border point, per mode and gauge,
  with its dwell hours and fee (the crossing's own figures, else the sourced default);
- transfer (``transfer``): a mode change inside one location, with handling hours and cost;
- gauge change (``gauge_change``): between two rail gauges at one location;
- access (``load`` / ``unload``): origin and destination terminals of each mode.

Every edge carries the figures it used and their source keys, so a route can be explained.
Costs are per unit of cargo (TEU, or tonne for bulk); emissions per unit are computed with the
cargo class's tonnes per unit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from corridors.graph.states import (
    DST,
    SRC,
    ComponentKind,
    EdgeKind,
    family,
    mode_state,
    rail_state,
)
from corridors.model import BorderCrossing, Link, Network
from corridors.params import CARGO_CLASSES, Parameters, param_mode_key

log = logging.getLogger(__name__)

HOURS_PER_WEEK = 168.0


@dataclass(frozen=True)
class Component:
    """One priced part of an edge: what it is, its hours and USD per unit, and its provenance."""

    kind: ComponentKind
    what: str  # how it reads: "line haul", "service wait", "border crossing", "transfer rail-sea"
    hours: float
    usd_per_unit: dict[str, float]  # per cargo class
    sources: tuple[str, ...]
    default: bool = False  # True when a default was used because the item has no own figure


@dataclass(frozen=True)
class StateEdge:
    tail: tuple[str, str]
    head: tuple[str, str]
    kind: EdgeKind
    ref: str  # link id, border id or location id
    family: str  # rail | road | sea | air ('' for edges inside a location)
    distance_km: float
    components: tuple[Component, ...]
    co2_kg_per_unit: dict[str, float] = field(default_factory=dict)
    opening_year: int | None = None  # None when operational
    status: str = "operational"

    @property
    def time_h(self) -> float:
        return sum(c.hours for c in self.components)

    def cost_usd(self, cargo: str) -> float:
        return sum(c.usd_per_unit[cargo] for c in self.components)


def _line_haul_cost(p: Parameters, key: str, distance_km: float) -> dict[str, float]:
    mp = p.mode[key]
    out: dict[str, float] = {}
    for name in CARGO_CLASSES:
        cargo = p.cargo[name]
        rate = mp.cost_usd_per_teu_km if cargo.per_teu else mp.cost_usd_per_t_km
        out[name] = distance_km * rate * cargo.tariff_multiplier
    return out


def _co2(p: Parameters, key: str, distance_km: float) -> dict[str, float]:
    factor = p.mode[key].co2_kg_per_t_km
    return {n: distance_km * factor * p.cargo[n].tonnes_per_unit for n in CARGO_CLASSES}


def _per_unit(p: Parameters, usd_per_teu: float, usd_per_t: float) -> dict[str, float]:
    return {n: usd_per_teu if p.cargo[n].per_teu else usd_per_t for n in CARGO_CLASSES}


def _zero() -> dict[str, float]:
    return {name: 0.0 for name in CARGO_CLASSES}


def _open_year(status: str, year: int | None) -> int | None:
    return None if status == "operational" else year


def _add_line_haul_edges(net: Network) -> Iterator[StateEdge]:
    p = net.params
    for link in net.links:
        key = param_mode_key(link.mode, link.basin)
        mp = p.mode[key]
        speed = link.speed_kmh or mp.speed_kmh
        speed_src = link.attr_source if link.speed_kmh else mp.sources["speed_kmh"]
        comps = [
            Component(
                ComponentKind.LINE_HAUL,
                "line haul",
                link.distance_km / speed,
                _line_haul_cost(p, key, link.distance_km),
                (link.source, speed_src, mp.sources["cost_usd_per_teu_km"]),
            )
        ]
        if link.mode == "sea":
            comps.append(_sea_wait(p, link, key))
        state = mode_state(link.mode, link.gauge_mm)
        for a, b in ((link.from_id, link.to_id), (link.to_id, link.from_id)):
            yield StateEdge(
                (a, state),
                (b, state),
                EdgeKind.LINE_HAUL,
                link.id,
                link.mode,
                link.distance_km,
                tuple(comps),
                _co2(p, key, link.distance_km),
                _open_year(link.status, link.opening_year),
                link.status,
            )


def _sea_wait(p: Parameters, link: Link, key: str) -> Component:
    if link.frequency_per_week:
        freq, src, default = link.frequency_per_week, link.attr_source, False
    else:
        freq, src, default = p.frequency_default_per_week[key], p.frequency_sources[key], True
    zero = _zero()
    return Component(
        ComponentKind.SERVICE_WAIT,
        "service wait",
        0.5 * HOURS_PER_WEEK / freq,
        zero,
        (src,),
        default,
    )


def _add_border_edges(net: Network) -> Iterator[StateEdge]:
    p = net.params
    for b in net.borders:
        yield from _border_edges(p, b)


def _border_edges(p: Parameters, b: BorderCrossing) -> Iterator[StateEdge]:
    default = p.border_default[b.mode]
    dwell = b.dwell_h if b.dwell_h is not None else default.dwell_h
    fee = b.fee_usd if b.fee_usd is not None else default.fee_usd
    dwell_src = b.dwell_source if b.dwell_h is not None else default.sources["dwell_h"]
    fee_src = b.dwell_source if b.fee_usd is not None else default.sources["fee_usd"]
    teu_t = p.cargo["container"].tonnes_per_unit
    comps = (
        Component(
            ComponentKind.BORDER,
            "border crossing",
            dwell,
            _per_unit(p, fee, fee / teu_t),
            (dwell_src, fee_src),
            default=b.dwell_h is None or b.fee_usd is None,
        ),
        Component(
            ComponentKind.LINE_HAUL,
            "line haul",
            b.distance_km / p.mode[b.mode].speed_kmh,
            _line_haul_cost(p, b.mode, b.distance_km),
            (b.source,),
        ),
    )
    states = [rail_state(g) for g in b.gauges_mm] if b.mode == "rail" else [b.mode]
    for state in states:
        for x, y in ((b.from_id, b.to_id), (b.to_id, b.from_id)):
            yield StateEdge(
                (x, state),
                (y, state),
                EdgeKind.BORDER,
                b.id,
                b.mode,
                b.distance_km,
                comps,
                _co2(p, b.mode, b.distance_km),
                _open_year(b.status, b.opening_year),
                b.status,
            )


def location_states(net: Network) -> dict[str, list[str]]:
    """Mode states present at each location (``rail_1520``, ``road``, ``sea``, ``air``)."""
    return {loc: sorted(net.modes_at(loc)) for loc in net.locations}


def _add_transfer_edges(net: Network, states: dict[str, list[str]]) -> Iterator[StateEdge]:
    p = net.params
    for loc, sts in states.items():
        for a in sts:
            for b in sts:
                fa, fb = family(a), family(b)
                if fa == fb:
                    continue
                tp = p.transfer_between(fa, fb)
                if tp is None:
                    continue
                kind = ComponentKind.PORT_HANDLING if "sea" in (fa, fb) else ComponentKind.TRANSFER
                comp = Component(
                    kind,
                    f"transfer {'-'.join(sorted((fa, fb)))}",
                    tp.hours,
                    _per_unit(p, tp.usd_per_teu, tp.usd_per_t),
                    (tp.sources["hours"], tp.sources["usd_per_teu"]),
                )
                yield StateEdge(
                    (loc, a),
                    (loc, b),
                    EdgeKind.TRANSFER,
                    loc,
                    "",
                    0.0,
                    (comp,),
                    _zero(),
                )


def _add_gauge_change_edges(net: Network, states: dict[str, list[str]]) -> Iterator[StateEdge]:
    gp = net.params.gauge_change
    comp = Component(
        ComponentKind.GAUGE_CHANGE,
        "gauge change",
        gp.hours,
        _per_unit(net.params, gp.usd_per_teu, gp.usd_per_t),
        (gp.sources["hours"], gp.sources["usd_per_teu"]),
    )
    for loc, sts in states.items():
        rails = [s for s in sts if family(s) == "rail"]
        for a in rails:
            for b in rails:
                if a != b:
                    yield StateEdge(
                        (loc, a),
                        (loc, b),
                        EdgeKind.GAUGE_CHANGE,
                        loc,
                        "",
                        0.0,
                        (comp,),
                        _zero(),
                    )


def _sea_terminal_keys(net: Network) -> dict[str, str]:
    """Parameters key of each port's sea terminal: open sea if any open-sea link calls there."""
    basins: dict[str, set[str]] = {}
    for lk in net.links:
        if lk.mode == "sea":
            for loc in (lk.from_id, lk.to_id):
                basins.setdefault(loc, set()).add(str(lk.basin))
    return {loc: "sea_open" if "open" in b else "sea_caspian" for loc, b in basins.items()}


def _add_access_edges(net: Network, states: dict[str, list[str]]) -> Iterator[StateEdge]:
    p = net.params
    sea_keys = _sea_terminal_keys(net)
    for loc, sts in states.items():
        for st in sts:
            mp = p.mode[sea_keys[loc] if st == "sea" else family(st)]
            comp = Component(
                ComponentKind.TERMINAL,
                f"terminal {family(st)}",
                mp.terminal_h,
                _per_unit(p, mp.terminal_usd_per_teu, mp.terminal_usd_per_t),
                (mp.sources["terminal_h"], mp.sources["terminal_usd_per_teu"]),
            )
            zero = _zero()
            yield StateEdge((loc, SRC), (loc, st), EdgeKind.LOAD, loc, "", 0.0, (comp,), zero)
            yield StateEdge((loc, st), (loc, DST), EdgeKind.UNLOAD, loc, "", 0.0, (comp,), zero)


def build_state_edges(net: Network) -> list[StateEdge]:
    """Every edge of the state graph, family by family."""
    states = location_states(net)
    edges = [
        *_add_line_haul_edges(net),
        *_add_border_edges(net),
        *_add_transfer_edges(net, states),
        *_add_gauge_change_edges(net, states),
        *_add_access_edges(net, states),
    ]
    log.info("built state graph: %d edges over %d locations", len(edges), len(states))
    return edges
