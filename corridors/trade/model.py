"""Trade-side domain types.  Tonnes per year (``_t_per_yr``), USD, hours.

A :class:`Demand` is a yearly flow of one commodity group between two places of the network
(zones are split into places by the loader).  A :class:`Capacity` bounds the tonnes per year
through one element: a border crossing, a link, or a port (every port call at that place).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["COMMODITY_CARGO", "Capacity", "Commodity", "Demand", "ElementType"]

Commodity = Literal["container", "bulk", "perishable"]
# the cargo class that prices each commodity group (per unit, divided by its tonnes per unit)
COMMODITY_CARGO: dict[str, str] = {
    "container": "container",
    "bulk": "bulk",
    "perishable": "perishable",
}
ElementType = Literal["border", "link", "port"]


@dataclass(frozen=True)
class Demand:
    """Tonnes per year of one commodity group from ``origin`` to ``destination`` (location ids).

    ``reporter`` and ``partner`` are the countries of the trade flow it belongs to (for the
    Iran shares); ``kind`` is ``trade`` or ``transit`` (flows that only cross the region).
    """

    origin: str
    destination: str
    commodity: str
    t_per_yr: float
    reporter: str
    partner: str
    kind: str = "trade"
    source: str = ""


@dataclass(frozen=True)
class Capacity:
    """At most ``t_per_yr`` tonnes a year through ``element`` (both directions together)."""

    element: str
    element_type: ElementType
    t_per_yr: float
    source: str = ""
    note: str = ""
