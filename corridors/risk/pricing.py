"""Price a shipper profile's risks on the compiled state graph, and read them off a route.

Where a premium is charged, once per unit of cargo:

- a sea passage's premium (``babalmandab``, ``ormuz``...) on every sea leg through it, and the
  ``caspian`` premium on every Caspian leg;
- a country's premium (sanctions, security) when the shipment enters the country: at the
  origin's terminal, and on every edge whose two ends lie in different countries (a border
  crossing, a sea or air leg between countries).

A premium is a % of the cargo's value (``value_usd_per_unit`` of its class) or USD per TEU.
The profile ``none`` prices nothing, so its weights and answers are today's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corridors.errors import RequestError
from corridors.graph.compile import CompiledGraph, FloatArray
from corridors.graph.states import EdgeKind
from corridors.model import Network, RiskLine
from corridors.risk.model import Premium, RiskProfile

__all__ = ["RiskPricing"]


@dataclass(frozen=True)
class _Charge:
    premium: Premium
    location_id: str  # where it is charged: the place entered, or the leg's start


class RiskPricing:
    """The premiums of one profile on the edges of one compiled graph."""

    def __init__(self, net: Network, g: CompiledGraph, profile: RiskProfile) -> None:
        self.net, self.g, self.profile = net, g, profile
        premiums = [net.risk.premiums[pid] for pid in profile.premiums]
        by_area: dict[str, list[Premium]] = {}
        for p in premiums:
            by_area.setdefault(p.area, []).append(p)
        self._charges: dict[int, tuple[_Charge, ...]] = {}
        countries = {c for c in by_area if c in {loc.country for loc in net.locations.values()}}
        for i, edge in enumerate(g.edges):
            found: list[_Charge] = []
            a, b = edge.tail[0], edge.head[0]
            if edge.kind == EdgeKind.LINE_HAUL and edge.family == "sea":
                link = net.link_by_id[edge.ref]
                areas = [*link.passages, *(["caspian"] if link.basin == "caspian" else [])]
                found += [_Charge(p, a) for area in areas for p in by_area.get(area, [])]
            entered = None
            if edge.kind == EdgeKind.LOAD:
                entered = net.locations[b].country
            elif net.locations[a].country != net.locations[b].country:
                entered = net.locations[b].country
            if entered in countries:
                found += [_Charge(p, b) for p in by_area[entered]]
            if found:
                self._charges[i] = tuple(found)
        self._usd: dict[str, FloatArray] = {}

    @property
    def prices_anything(self) -> bool:
        return bool(self._charges)

    def _unit_usd(self, p: Premium, cargo: str) -> float:
        c = self.net.params.cargo[cargo]
        if p.basis == "pct_cargo_value" and c.value_usd_per_unit is None:
            raise RequestError(
                f"risk_profile {self.profile.name}: premium {p.id} is a % of cargo value, and "
                f"cargo {cargo} has no value_usd_per_unit in parameters.toml"
            )
        return p.usd_per_unit(c.unit, c.value_usd_per_unit)

    def usd(self, cargo: str) -> FloatArray:
        """Risk USD per unit of ``cargo`` on every edge (cached)."""
        out = self._usd.get(cargo)
        if out is None:
            out = np.zeros(len(self.g.edges), dtype=np.float64)
            for i, charges in self._charges.items():
                out[i] = sum(self._unit_usd(ch.premium, cargo) for ch in charges)
            self._usd[cargo] = out
        return out

    def lines(self, path: Sequence[int], cargo: str, quantity: float) -> tuple[RiskLine, ...]:
        """The risk lines of an edge path, for the whole shipment, in travel order."""
        out = []
        for e in path:
            for ch in self._charges.get(e, ()):
                p = ch.premium
                out.append(
                    RiskLine(
                        kind=p.kind,
                        area=p.area,
                        location_id=ch.location_id,
                        premium_id=p.id,
                        basis=p.basis,
                        rate=p.value,
                        cost_usd=self._unit_usd(p, cargo) * quantity,
                        sources=p.sources,
                    )
                )
        return tuple(out)
