"""The state-graph vocabulary: node states, their families and gauges, edge and component kinds.

A node of the state graph is ``(location_id, state)``.  States are ``rail_<gauge_mm>`` (one per
rail gauge), ``road``, ``sea``, ``air``, plus :data:`SRC` (where a shipment enters at its
origin) and :data:`DST` (where it leaves at its destination).  Every state string is built and
parsed here and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DST",
    "SRC",
    "ComponentKind",
    "EdgeKind",
    "family",
    "gauge_of",
    "mode_state",
    "rail_state",
]

SRC = "src"
DST = "dst"
_RAIL = "rail_"


class EdgeKind(StrEnum):
    """Families of state-graph edges."""

    LINE_HAUL = "line_haul"  # a link, in the state of its mode (and gauge)
    BORDER = "border"  # a crossing between the two sides of a border point
    TRANSFER = "transfer"  # a mode change inside one location
    GAUGE_CHANGE = "gauge_change"  # between two rail gauges at one location
    LOAD = "load"  # origin terminal: SRC -> a mode state
    UNLOAD = "unload"  # destination terminal: a mode state -> DST


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


def family(state: str) -> str:
    """The mode family of a state: ``rail_1520`` -> ``rail``; others are their own family."""
    return "rail" if state.startswith(_RAIL) else state


def gauge_of(state: str) -> int | None:
    """The gauge in mm of a rail state, else None."""
    return int(state[len(_RAIL) :]) if state.startswith(_RAIL) else None
