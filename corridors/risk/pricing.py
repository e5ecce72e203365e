"""Price a shipper profile's risks on the compiled state graph, and read them off a route.

Where a premium is charged, per unit of cargo:

- a sea passage's premium (``babalmandab``, ``ormuz``...) on every sea leg through it, and the
  ``caspian`` premium on every Caspian leg;
- a country's premium (% of cargo value or USD per TEU: war risk, security) when the shipment
  enters the country: at the origin's terminal, and on every edge whose two ends lie in
  different countries (a border crossing, a sea or air leg between countries);
- a sanctions cost on money transferred (``pct_money_transferred``): on every payment that
  passes the sanctioned banking channel, that is the transport charges incurred in the country
  (an edge counts half for each country at its ends) and, when the shipment starts or ends
  there, the goods themselves (the cargo's value).  Transit pays on its local charges only.

A % of cargo value uses ``value_usd_per_unit`` of the cargo class.  The profile ``none``
prices nothing, so its weights and answers are today's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from corridors.errors import RequestError
from corridors.graph.compile import CompiledGraph, FloatArray
from corridors.graph.states import EdgeKind
from corridors.model import Network, RiskLine
from corridors.risk.model import Premium, RiskProfile

__all__ = ["RiskPricing"]

Part = Literal["unit", "charges"]  # per unit (by the premium's basis), or % of local charges


@dataclass(frozen=True)
class _Charge:
    premium: Premium
    location_id: str  # where it is charged: the place entered, or the leg's start
    part: Part = "unit"
    share: float = 1.0  # for "charges": the share of the edge's cost incurred in the country


class RiskPricing:
    """The premiums of one profile on the edges of one compiled graph."""

    def __init__(self, net: Network, g: CompiledGraph, profile: RiskProfile) -> None:
        self.net, self.g, self.profile = net, g, profile
        by_area: dict[str, list[Premium]] = {}
        for pid in profile.premiums:
            p = net.risk.premiums[pid]
            by_area.setdefault(p.area, []).append(p)
        self._charges: dict[int, tuple[_Charge, ...]] = {}
        for i, edge in enumerate(g.edges):
            found = self._passages(edge.kind, edge.family, edge.ref, edge.tail[0], by_area)
            found += self._countries(edge.kind, edge.tail[0], edge.head[0], by_area)
            if found:
                self._charges[i] = tuple(found)
        self._usd: dict[str, FloatArray] = {}

    def _passages(
        self, kind: EdgeKind, fam: str, ref: str, at: str, by_area: dict[str, list[Premium]]
    ) -> list[_Charge]:
        if kind != EdgeKind.LINE_HAUL or fam != "sea":
            return []
        link = self.net.link_by_id[ref]
        areas = [*link.passages, *(["caspian"] if link.basin == "caspian" else [])]
        return [_Charge(p, at) for area in areas for p in by_area.get(area, [])]

    def _countries(
        self, kind: EdgeKind, a: str, b: str, by_area: dict[str, list[Premium]]
    ) -> list[_Charge]:
        ca, cb = self.net.locations[a].country, self.net.locations[b].country
        out: list[_Charge] = []
        for country, share in ((ca, 0.5), (cb, 0.5)) if ca != cb else ((ca, 1.0),):
            for p in by_area.get(country, []):
                if p.basis == "pct_money_transferred":
                    out.append(_Charge(p, a if country == ca else b, "charges", share))
        entered = cb if kind == EdgeKind.LOAD or ca != cb else None
        ends = {EdgeKind.LOAD: cb, EdgeKind.UNLOAD: ca}.get(kind)
        for p in by_area.get(entered or "", []):
            if p.basis != "pct_money_transferred":
                out.append(_Charge(p, b))
        for p in by_area.get(ends or "", []):
            if p.basis == "pct_money_transferred":  # paying for the goods themselves
                out.append(_Charge(p, b if kind == EdgeKind.LOAD else a))
        return out

    @property
    def prices_anything(self) -> bool:
        return bool(self._charges)

    def _charge_usd(self, e: int, ch: _Charge, cargo: str) -> float:
        p = ch.premium
        if ch.part == "charges":
            assert p.value is not None
            return p.value / 100.0 * ch.share * float(self.g.cost_usd[cargo][e])
        c = self.net.params.cargo[cargo]
        if p.basis in ("pct_cargo_value", "pct_money_transferred") and not c.value_usd_per_unit:
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
            for e, charges in self._charges.items():
                out[e] = sum(self._charge_usd(e, ch, cargo) for ch in charges)
            self._usd[cargo] = out
        return out

    def usd_of(self, premium_id: str, cargo: str) -> FloatArray:
        """Risk USD per unit of ``cargo`` on every edge from one premium alone (at its value;
        linear in it)."""
        out = np.zeros(len(self.g.edges), dtype=np.float64)
        for e, charges in self._charges.items():
            out[e] = sum(
                self._charge_usd(e, ch, cargo) for ch in charges if ch.premium.id == premium_id
            )
        return out

    def lines(self, path: Sequence[int], cargo: str, quantity: float) -> tuple[RiskLine, ...]:
        """The risk lines of an edge path for the whole shipment, in travel order; a sanctions
        cost on local charges is one line per stay in the country."""
        out: list[RiskLine] = []
        for e in path:
            for ch in self._charges.get(e, ()):
                p, usd = ch.premium, self._charge_usd(e, ch, cargo) * quantity
                last = out[-1] if out else None
                if ch.part == "charges" and last and last.premium_id == p.id and last.on_charges:
                    out[-1] = RiskLine(**{**last.__dict__, "cost_usd": last.cost_usd + usd})
                    continue
                out.append(
                    RiskLine(
                        kind=p.kind,
                        area=p.area,
                        location_id=ch.location_id,
                        premium_id=p.id,
                        basis=p.basis,
                        rate=p.value or 0.0,
                        cost_usd=usd,
                        sources=p.sources,
                        on_charges=ch.part == "charges",
                    )
                )
        return tuple(out)
