"""Expand the physical network into a state graph, the way NODUS builds its virtual network.

A node is ``(location_id, state)`` (see :mod:`corridors.graph.states`: rail by gauge, road and
sea with separate arrival states, air, and the ``src``/``dst`` ends of a shipment).

Edge families, one private builder each, assembled in :func:`build_state_edges`:

- line haul (``line_haul``): a link, both directions.  Time = distance / speed without delay,
  plus en-route stops as their own component: drivers' rest on roads (drivers' hours), en-route
  dwell on railways (the country's container-train speed with delay), the expected wait for a
  sea service (half the headway; leaving a port whose ships sail when loaded, the measured
  wait for a sailing instead, when longer); an air leg between two countries clears customs on arrival;
  a ro-ro sailing carries a truck from road to road, a rail ferry a wagon from rail to rail (the
  container is not lifted), their two port calls (check-in, clearance, driving or rolling on and
  off) part of the sailing, by the ``roro`` and ``rail_ferry`` port classes;
- border (``border``): a crossing between the two sides of a border point, per mode and gauge,
  with its own dwell and fee, else the figures of its regime (EU internal, EAEU internal) or
  the sourced external default;
- transfer (``transfer``): a mode change inside one location; a change to or from a ship is a
  port call, priced once per call by the port's class (time) and the port's tariff (handling);
- transshipment (``transshipment``): ship to ship at a port, priced;
- pass (``pass``): a truck arriving at a place drives on, a wagon or truck off a vehicle ferry
  goes on as if arrived by land (free);
- gauge change (``gauge_change``): between two rail gauges at one location, by place;
- access (``load`` / ``unload``): origin and destination terminals (a port call at a port).

Every edge carries the figures it used and their source keys, so a route can be explained.
Costs are per unit of cargo (TEU, FEU or tonne); emissions per unit use the cargo class's
tonnes per unit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from corridors.graph.states import (
    DST,
    SRC,
    ComponentKind,
    EdgeKind,
    arrival,
    departure,
    family,
    ferry_landing,
    rail_state,
)
from corridors.model import BorderCrossing, Link, Network
from corridors.params import CARGO_CLASSES, HandlingParams, Parameters, param_mode_key

__all__ = ["Component", "StateEdge", "build_state_edges", "location_states"]

log = logging.getLogger(__name__)

HOURS_PER_WEEK = 168.0
# the two port calls of a sailing that carries vehicles, by service class
_VEHICLE_CALLS = {"roro": ("drive on", "drive off"), "rail_ferry": ("roll on", "roll off")}


@dataclass(frozen=True)
class Component:
    """One priced part of an edge: what it is, its hours and USD per unit, and its provenance."""

    kind: ComponentKind
    what: str  # how it reads: "line haul", "half the headway", "border crossing (eaeu_internal)"...
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
    opening_year: int | None = None  # the year the link opened or opens (None: not known)
    status: str = "operational"

    @property
    def time_h(self) -> float:
        return sum(c.hours for c in self.components)

    @property
    def is_vehicle_ferry(self) -> bool:
        """A ro-ro or rail-ferry sailing: the truck or wagon rides on board, with its port calls."""
        return (
            self.kind == EdgeKind.LINE_HAUL
            and self.family == "sea"
            and family(self.tail[1]) != "sea"
        )

    def cost_usd(self, cargo: str) -> float:
        return sum(c.usd_per_unit[cargo] for c in self.components)


def _zero() -> dict[str, float]:
    return {name: 0.0 for name in CARGO_CLASSES}


def _per_unit(p: Parameters, h: HandlingParams) -> dict[str, float]:
    return {n: h.usd_per_unit(p.cargo[n].unit) for n in CARGO_CLASSES}


def _handling(kind: ComponentKind, what: str, p: Parameters, h: HandlingParams) -> Component:
    return Component(kind, what, h.hours, _per_unit(p, h), tuple(dict.fromkeys(h.sources.values())))


def _co2(p: Parameters, key: str, distance_km: float) -> dict[str, float]:
    factor = p.mode[key].co2_kg_per_t_km
    return {n: distance_km * factor * p.cargo[n].tonnes_per_unit for n in CARGO_CLASSES}


def _road_rates(p: Parameters, country: str) -> tuple[float, dict[str, float], tuple[str, ...]]:
    """Road speed (km/h), USD per unit-km by cargo class, and their sources, in a country."""
    mp, rc = p.mode["road"], p.road_country.get(country)
    scale = p.tariff_scale.get("road", 1.0)
    if rc is None:
        rates = {n: mp.rate_usd_per_unit_km(p.cargo[n].unit) for n in CARGO_CLASSES}
        srcs = (mp.sources["speed_kmh"], mp.sources["cost_usd_per_teu_km"])
        speed = mp.speed_kmh
    else:
        per_t = rc.usd_per_truck_km / p.road_hours.truck_payload_t
        rates = {n: per_t if p.cargo[n].unit == "t" else rc.usd_per_truck_km for n in CARGO_CLASSES}
        srcs = (rc.sources["speed_kmh"], rc.sources["usd_per_truck_km"])
        speed = rc.speed_kmh
    mult: dict[str, float] = {
        n: rates[n] * scale * p.cargo[n].tariff_multiplier for n in CARGO_CLASSES
    }
    return speed, mult, srcs


def _line_rates(p: Parameters, key: str) -> dict[str, float]:
    """USD per unit-km of a mode's line haul, by cargo class."""
    return _by_class(p, key, p.mode[key].rate_usd_per_unit_km)


def _fixed_charges(p: Parameters, key: str) -> dict[str, float]:
    """The part of a leg's freight that does not grow with its length, by cargo class."""
    return _by_class(p, key, p.mode[key].fixed_usd_per_unit)


def _by_class(p: Parameters, key: str, per_unit: Callable[[str], float]) -> dict[str, float]:
    """A mode's figure per unit (TEU, FEU, t) for each cargo class, tariff scale applied."""
    scale = p.tariff_scale.get(key, 1.0)
    return {
        n: per_unit(p.cargo[n].unit) * scale * p.cargo[n].tariff_multiplier for n in CARGO_CLASSES
    }


def _line_haul_components(net: Network, link: Link) -> list[Component]:
    """The line haul of a link and the stops it implies, for one unit of each cargo class."""
    p, key = net.params, param_mode_key(link.mode, link.basin, link.service)
    country = net.locations[link.from_id].country
    km = link.distance_km
    fixed: dict[str, float] = {n: 0.0 for n in CARGO_CLASSES}
    if link.mode == "road":
        speed, rates, srcs = _road_rates(p, country)
    else:
        mp = p.mode[key]
        # a railway that publishes its own rates prices its country's lines
        tariff = (p.rail_country.get(country) if link.mode == "rail" else None) or mp
        speed, rates = mp.speed_kmh, _by_class(p, key, tariff.rate_usd_per_unit_km)
        fixed = _fixed_charges(p, key)
        srcs = (mp.sources["speed_kmh"], tariff.sources["cost_usd_per_teu_km"])
    if link.speed_kmh:
        speed, srcs = link.speed_kmh, (link.attr_source, srcs[1])
    drive_h = km / speed
    comps = [
        Component(
            ComponentKind.LINE_HAUL,
            "line haul",
            drive_h,
            {n: fixed[n] + km * r for n, r in rates.items()},
            (link.source, *srcs),
        )
    ]
    if link.mode == "road":
        rest_h = drive_h * p.road_hours.rest_h_per_driving_h
        crew = p.road_hours.crew
        src = p.road_hours.sources[f"{crew}_driving_h_per_day"]
        comps.append(
            Component(
                ComponentKind.EN_ROUTE, f"drivers' rest ({crew} crew)", rest_h, _zero(), (src,)
            )
        )
    elif link.mode == "rail" and not link.speed_kmh:
        with_delay, src = p.rail_speed_with_delay(country)
        dwell_h = km / with_delay - drive_h
        if dwell_h > 1e-9:
            comps.append(
                Component(ComponentKind.EN_ROUTE, "en-route rail stops", dwell_h, _zero(), (src,))
            )
    elif link.mode == "sea":
        comps.append(_sea_wait(p, link, key))
    elif link.mode == "air":
        a, b = (net.locations[x].country for x in (link.from_id, link.to_id))
        if a != b:
            comps.append(_border_component(p, "air", a, b, None, None, ""))
    if link.service:  # the vehicle drives or rolls on and off: the port calls are the sailing's
        cls = p.port_class[link.service]
        on, off = (
            _handling(ComponentKind.PORT_HANDLING, f"port call ({link.service}, {end})", p, cls)
            for end in _VEHICLE_CALLS[link.service]
        )
        haul, *stops = comps
        comps = [on, *stops, haul, off]  # on board, wait for the sailing, sail, off board
    return comps


def _add_line_haul_edges(net: Network) -> Iterator[StateEdge]:
    p = net.params
    for link in net.links:
        key = param_mode_key(link.mode, link.basin, link.service)
        comps = tuple(_line_haul_components(net, link))
        state = link.state
        lands_in = ferry_landing(state) if link.service else arrival(state)
        for a, b in ((link.from_id, link.to_id), (link.to_id, link.from_id)):
            yield StateEdge(
                (a, state),
                (b, lands_in),
                EdgeKind.LINE_HAUL,
                link.id,
                link.mode,
                link.distance_km,
                _leaving(p, link, a, comps),
                _co2(p, key, link.distance_km),
                link.opening_year,
                link.status,
            )


def _leaving(
    p: Parameters, link: Link, port: str, comps: tuple[Component, ...]
) -> tuple[Component, ...]:
    """A link's components in the direction leaving ``port``: where ships sail when loaded,
    the measured wait for a sailing instead of half the headway (never both), unless the
    service is so rare that half its headway is longer."""
    sw = p.sailing_wait
    if link.mode != "sea" or sw is None or port not in sw.ports:
        return comps
    wait = Component(
        ComponentKind.SERVICE_WAIT,
        "wait for a sailing (ships sail when loaded)",
        sw.hours,
        _zero(),
        (sw.sources["hours"],),
    )
    return tuple(
        wait if c.kind == ComponentKind.SERVICE_WAIT and c.hours < sw.hours else c for c in comps
    )


def _sea_wait(p: Parameters, link: Link, key: str) -> Component:
    if link.frequency_per_week:
        freq, src, default = link.frequency_per_week, link.attr_source, False
    else:
        freq, src, default = p.frequency_default_per_week[key], p.frequency_sources[key], True
    return Component(
        ComponentKind.SERVICE_WAIT,
        "half the headway",
        0.5 * HOURS_PER_WEEK / freq,
        _zero(),
        (src,),
        default,
    )


def _border_component(
    p: Parameters,
    mode: str,
    country_a: str,
    country_b: str,
    dwell_h: float | None,
    fee_usd: float | None,
    own_source: str,
) -> Component:
    """Border formalities: the crossing's own figures, else those of its regime."""
    regime, figures = p.border_figures(mode, country_a, country_b)
    dwell = dwell_h if dwell_h is not None else figures.dwell_h
    fee = fee_usd if fee_usd is not None else figures.fee_usd
    dwell_src = own_source if dwell_h is not None else figures.sources["dwell_h"]
    fee_src = own_source if fee_usd is not None else figures.sources["fee_usd"]
    default = (dwell_h is None or fee_usd is None) and regime == "external"
    teu_t = p.cargo["container"].tonnes_per_unit  # a fee per consignment, per t for bulk
    in_rate = p.mode[mode].container_rate_includes_border_fees
    per_unit: dict[str, float] = {
        n: fee / teu_t if p.cargo[n].unit == "t" else 0.0 if in_rate else fee for n in CARGO_CLASSES
    }
    what = "border crossing" if dwell_h is not None else f"border crossing ({regime})"
    return Component(ComponentKind.BORDER, what, dwell, per_unit, (dwell_src, fee_src), default)


def _add_border_edges(net: Network) -> Iterator[StateEdge]:
    for b in net.borders:
        yield from _border_edges(net, b)


def _border_edges(net: Network, b: BorderCrossing) -> Iterator[StateEdge]:
    p = net.params
    ca, cb = net.locations[b.from_id].country, net.locations[b.to_id].country
    haul = Component(
        ComponentKind.LINE_HAUL,
        "line haul",
        b.distance_km / p.mode[b.mode].speed_kmh,
        {n: b.distance_km * r for n, r in _line_rates(p, b.mode).items()},
        (b.source,),
    )
    comps = {  # by direction: a crossing may take longer one way than the other
        forward: (_border_component(p, b.mode, ca, cb, *b.figures(forward), b.dwell_source), haul)
        for forward in (True, False)
    }
    states = [rail_state(g) for g in b.gauges_mm] if b.mode == "rail" else [b.mode]
    for state in states:
        for x, y, forward in ((b.from_id, b.to_id, True), (b.to_id, b.from_id, False)):
            yield StateEdge(
                (x, state),
                (y, arrival(state)),
                EdgeKind.BORDER,
                b.id,
                b.mode,
                b.distance_km,
                comps[forward],
                _co2(p, b.mode, b.distance_km),
                b.opening_year,
                b.status,
            )


def location_states(net: Network) -> dict[str, list[str]]:
    """Departure states present at each location (``rail_1520``, ``road``, ``sea``, ``air``)."""
    return {loc: sorted(net.modes_at(loc)) for loc in net.locations}


def _sea_basins(net: Network) -> dict[str, str]:
    """The basin of each port's sea links: ``open`` if any open-sea link calls there."""
    basins: dict[str, set[str]] = {}
    for lk in net.links:
        if lk.mode == "sea":
            for loc in (lk.from_id, lk.to_id):
                basins.setdefault(loc, set()).add(str(lk.basin))
    return {loc: "open" if "open" in b else "caspian" for loc, b in basins.items()}


def _port_call(p: Parameters, loc: str, basin: str) -> Component:
    cls, call = p.port(loc, basin)
    return _handling(ComponentKind.PORT_HANDLING, f"port call ({cls})", p, call)


def _inside(loc: str, a: str, b: str, kind: EdgeKind, comps: tuple[Component, ...]) -> StateEdge:
    return StateEdge((loc, a), (loc, b), kind, loc, "", 0.0, comps, _zero())


def _add_transfer_edges(net: Network, states: dict[str, list[str]]) -> Iterator[StateEdge]:
    """Mode changes: land to land (a lift), and land to ship or back (a port call)."""
    p, basins = net.params, _sea_basins(net)
    for loc, sts in states.items():
        for a in sts:
            for b in sts:
                fa, fb = family(a), family(b)
                if fa == fb:
                    continue
                if "sea" in (fa, fb):
                    comp = _port_call(p, loc, basins[loc])
                else:
                    tp = p.transfer_between(fa, fb)
                    if tp is None:
                        continue
                    what = f"transfer {'-'.join(sorted((fa, fb)))}"
                    comp = _handling(ComponentKind.TRANSFER, what, p, tp)
                yield _inside(loc, arrival(a), departure(b), EdgeKind.TRANSFER, (comp,))


def _add_pass_and_transshipment_edges(
    net: Network, states: dict[str, list[str]]
) -> Iterator[StateEdge]:
    p = net.params
    ship_to_ship = _handling(ComponentKind.PORT_HANDLING, "transshipment", p, p.transshipment)
    for loc, sts in states.items():
        if "road" in sts:
            yield _inside(loc, arrival("road"), "road", EdgeKind.PASS, ())
        if "sea" in sts:
            yield _inside(loc, arrival("sea"), "sea", EdgeKind.TRANSSHIPMENT, (ship_to_ship,))
    landings = {
        (end, link.state)
        for link in net.links
        if link.service
        for end in (link.from_id, link.to_id)
    }
    for loc, st in sorted(landings):  # off a vehicle ferry: on as if arrived by land (free)
        yield _inside(loc, ferry_landing(st), arrival(st), EdgeKind.PASS, ())


def _add_gauge_change_edges(net: Network, states: dict[str, list[str]]) -> Iterator[StateEdge]:
    p = net.params
    for loc, sts in states.items():
        rails = [s for s in sts if family(s) == "rail"]
        if len(rails) < 2:
            continue
        comp = _handling(ComponentKind.GAUGE_CHANGE, "gauge change", p, p.gauge_change_figures(loc))
        for a in rails:
            for b in rails:
                if a != b:
                    yield _inside(loc, a, b, EdgeKind.GAUGE_CHANGE, (comp,))


def _add_access_edges(net: Network, states: dict[str, list[str]]) -> Iterator[StateEdge]:
    p, basins = net.params, _sea_basins(net)
    for loc, sts in states.items():
        for st in sts:
            if st == "sea":
                comp = _port_call(p, loc, basins[loc])
            else:
                fam = family(st)
                comp = _handling(ComponentKind.TERMINAL, f"terminal {fam}", p, p.terminal[fam])
            yield StateEdge((loc, SRC), (loc, st), EdgeKind.LOAD, loc, "", 0.0, (comp,), _zero())
            yield StateEdge(
                (loc, arrival(st)), (loc, DST), EdgeKind.UNLOAD, loc, "", 0.0, (comp,), _zero()
            )


def build_state_edges(net: Network) -> list[StateEdge]:
    """Every edge of the state graph, family by family."""
    states = location_states(net)
    edges = [
        *_add_line_haul_edges(net),
        *_add_border_edges(net),
        *_add_transfer_edges(net, states),
        *_add_pass_and_transshipment_edges(net, states),
        *_add_gauge_change_edges(net, states),
        *_add_access_edges(net, states),
    ]
    log.info("built state graph: %d edges over %d locations", len(edges), len(states))
    return edges
