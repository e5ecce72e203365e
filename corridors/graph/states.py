"""The state-graph vocabulary: node states, their families and gauges, edge and component kinds.

A node of the state graph is ``(location_id, state)``.  States are ``rail_<gauge_mm>`` (one per
rail gauge), ``road``, ``sea``, ``air``, the arrival states ``road_arr`` and ``sea_arr``, the
ferry landings ``rail_<gauge_mm>_ferry`` and ``road_ferry`` (a wagon or truck just off a rail
ferry or ro-ro: its own node, so that a gate ``place@sea`` tells a landing from a pass by land;
a free pass leads on to the arrival state), plus :data:`SRC` (where a shipment enters at its
origin) and :data:`DST` (where it leaves at its destination).  Every state string is built and
parsed here and nowhere else.

Road and sea have separate arrival and departure states: a road or sea link leaves from
``road``/``sea`` and arrives in ``road_arr``/``sea_arr``.  From an arrival state a shipment
goes on (road: free; sea: a priced ship-to-ship transshipment), changes mode, or unloads; a mode
change always lands in a departure state.  So a change of mode in and straight back out at one
place (rail -> road -> rail in place of a gauge change) is impossible, and a ship-to-ship
transshipment at a hub is an edge of its own.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DST",
    "SPLIT_MODES",
    "SRC",
    "ComponentKind",
    "EdgeKind",
    "arrival",
    "departure",
    "is_arrival",
    "family",
    "ferry_landing",
    "gauge_of",
    "mode_state",
    "rail_state",
]

SRC = "src"
DST = "dst"
_RAIL = "rail_"
_ARRIVAL = "_arr"
_FERRY = "_ferry"
SPLIT_MODES = ("road", "sea")  # modes with separate arrival states


class EdgeKind(StrEnum):
    """Families of state-graph edges."""

    LINE_HAUL = "line_haul"  # a link, in the state of its mode (and gauge)
    BORDER = "border"  # a crossing between the two sides of a border point
    TRANSFER = "transfer"  # a mode change inside one location
    GAUGE_CHANGE = "gauge_change"  # between two rail gauges at one location
    LOAD = "load"  # origin terminal: SRC -> a mode state
    UNLOAD = "unload"  # destination terminal: a mode state -> DST
    PASS = "pass"  # road arrival -> road departure at one place (free)
    TRANSSHIPMENT = "transshipment"  # sea arrival -> sea departure: ship-to-ship at a hub


class ComponentKind(StrEnum):
    """What a priced part of an edge is; all but ``line_haul`` become route events."""

    LINE_HAUL = "line_haul"
    SERVICE_WAIT = "service_wait"  # expected wait for a scheduled service (half the headway)
    BORDER = "border"  # border formalities: dwell and fee
    TRANSFER = "transfer"  # handling between two land modes (rail, road, air)
    PORT_HANDLING = "port_handling"  # a port call: ship <-> land, or ship-to-ship
    GAUGE_CHANGE = "gauge_change"
    TERMINAL = "terminal"  # loading at the origin, unloading at the destination
    EN_ROUTE = "en_route"  # en-route stops: drivers' rest, marshalling, locomotive changes


def rail_state(gauge_mm: int) -> str:
    return f"{_RAIL}{gauge_mm}"


def mode_state(mode: str, gauge_mm: int | None) -> str:
    """The state of a link of ``mode`` (``rail`` needs its gauge)."""
    if mode == "rail":
        if gauge_mm is None:
            raise ValueError("a rail state needs a gauge")
        return rail_state(gauge_mm)
    return mode


def arrival(state: str) -> str:
    """The state a link of this departure state arrives in (``road`` -> ``road_arr``)."""
    return state + _ARRIVAL if state in SPLIT_MODES else state


def ferry_landing(state: str) -> str:
    """The state a vehicle of this departure state lands in off a ferry (``rail_1520`` ->
    ``rail_1520_ferry``)."""
    return state + _FERRY


def departure(state: str) -> str:
    """The state links leave from (``road_arr``, ``road_ferry`` -> ``road``; others are their
    own)."""
    return state.removesuffix(_FERRY).removesuffix(_ARRIVAL)


def is_arrival(state: str) -> bool:
    return state.endswith(_ARRIVAL)


def family(state: str) -> str:
    """The mode family of a state: ``rail_1520`` -> ``rail``, ``sea_arr`` -> ``sea``."""
    return "rail" if state.startswith(_RAIL) else departure(state)


def gauge_of(state: str) -> int | None:
    """The gauge in mm of a rail state, else None."""
    return int(departure(state)[len(_RAIL) :]) if state.startswith(_RAIL) else None
