"""How much of the gap between the best route through Iran and the best route avoiding it is
transport cost, time and risk, per shipper profile.

For each pair and profile the corridor comparison is run with that profile (generalized cost:
transport cost + priced risk + value of time x time); the gap, through Iran minus avoiding
Iran, splits exactly into its three parts::

    gap_usd = cost_usd + time_value_usd + risk_usd

A negative gap means the route through Iran wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from corridors.compare import Comparison, compare
from corridors.request import RouteRequest
from corridors.routing import Router

__all__ = ["GapRow", "gap_decomposition"]


@dataclass(frozen=True)
class GapRow:
    """One pair under one profile; USD for the whole shipment (None: a side has no route)."""

    origin: str
    destination: str
    profile: str
    through_iran: str | None  # the corridor of the best route through Iran
    cost_usd: float | None = None  # transport cost, through Iran minus avoiding
    time_value_usd: float | None = None  # value of time x the time difference
    risk_usd: float | None = None  # priced risk difference
    time_h: float | None = None
    reason: str | None = None

    @property
    def gap_usd(self) -> float | None:
        parts = (self.cost_usd, self.time_value_usd, self.risk_usd)
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    @property
    def risk_share(self) -> float | None:
        """The risk part's share of the parts' total size (0 when every part is zero)."""
        parts = (self.cost_usd, self.time_value_usd, self.risk_usd)
        if any(p is None for p in parts):
            return None
        size = sum(abs(p) for p in parts if p is not None)
        return abs(self.risk_usd or 0.0) / size if size else 0.0


def gap_decomposition(
    router: Router,
    requests: Sequence[RouteRequest],
    profiles: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    known: Mapping[RouteRequest, Comparison] | None = None,
) -> list[GapRow]:
    """The gap's parts for every request (its origin, destination, cargo and quantity) under
    every profile (default: all of the network's profiles), ranked by generalized cost;
    ``known`` comparisons (the suite's baselines) are reused, not run again."""
    names = list(profiles) if profiles is not None else sorted(router.network.risk.profiles)
    out: list[GapRow] = []
    total, done = len(requests) * len(names), 0
    for base in requests:
        for name in names:
            req = replace(base, objective="generalized", risk_profile=name)
            cmp = (known or {}).get(req) or compare(router, req)
            t = cmp.best_through_iran
            a = cmp.best_avoiding_iran
            if t is None or t.route is None or a is None:
                why = cmp.avoiding_reason if a is None else "no route through Iran"
                out.append(GapRow(base.origin, base.destination, name, None, reason=why))
            else:
                ts, as_ = t.route.summary, a.summary
                vot = cmp.value_of_time_usd_per_unit_h * req.quantity
                out.append(
                    GapRow(
                        base.origin,
                        base.destination,
                        name,
                        t.corridor.id,
                        cost_usd=ts.cost_usd - as_.cost_usd,
                        time_value_usd=vot * (ts.time_h - as_.time_h),
                        risk_usd=ts.risk_usd - as_.risk_usd,
                        time_h=ts.time_h - as_.time_h,
                    )
                )
            done += 1
            if progress is not None:
                progress(done, total)
    return out
