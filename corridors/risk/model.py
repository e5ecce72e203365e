"""Risk and policy attributes: memberships, sanctions regimes, security scores, premiums and
shipper profiles (read by :mod:`corridors.risk.load`, priced by :mod:`corridors.risk.pricing`)."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field

__all__ = [
    "AFFECTS",
    "BASES",
    "BODIES",
    "JURISDICTIONS",
    "NO_RISK",
    "PREMIUM_KINDS",
    "PRICED_BASES",
    "SCOPES",
    "Membership",
    "Premium",
    "RiskData",
    "RiskProfile",
    "Sanction",
    "SecurityScore",
]

BODIES = ("EAEU", "EU", "SCO", "TIR", "WTO", "COTIF", "OSJD")
JURISDICTIONS = ("US", "EU", "UK", "UN")
SCOPES = ("comprehensive", "sectoral", "targeted")
AFFECTS = (
    "finance",
    "shipping",
    "insurance",
    "goods",
    "energy",
    "transport_services",
    "individuals",
)
PREMIUM_KINDS = ("war_risk_hull", "war_risk_cargo", "sanctions_cost", "security_cost")
PRICED_BASES = ("pct_cargo_value", "usd_per_teu", "pct_money_transferred")
BASES = (*PRICED_BASES, "pct_hull_value_per_transit", "usd_per_voyage")
NO_RISK = "none"


@dataclass(frozen=True)
class Membership:
    country: str
    body: str
    status: str
    since: int | None
    as_of: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Sanction:
    """A sanctions regime that can touch a route (facts with dates, not legal advice)."""

    id: str
    imposed_by: str
    target: str
    scope: str
    affects: tuple[str, ...]
    summary: str
    since: str
    as_of: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SecurityScore:
    """A country's security index and the risk score made from it (0 safest .. 100)."""

    country: str
    index: str
    value: float
    year: int
    as_of: str
    sources: tuple[str, ...]

    @property
    def score(self) -> float:
        if self.index == "wgi_pv_percentile":  # 0..100, higher is more stable
            return round(100.0 - self.value, 2)
        return round((self.value - 1.0) / 4.0 * 100.0, 2)  # GPI 1..5, lower is more peaceful


@dataclass(frozen=True)
class Premium:
    """A priced risk of an area (a sea passage id, ``caspian`` or a country code)."""

    id: str
    area: str
    kind: str
    basis: str
    value: float | None  # None: the source gives a range only (not priced)
    low: float | None
    high: float | None
    as_of: str
    sources: tuple[str, ...]
    notes: str = ""

    @property
    def priced(self) -> bool:
        return self.basis in PRICED_BASES and self.value is not None

    def usd_per_unit(self, unit: str, value_usd_per_unit: float | None) -> float:
        """USD per unit of cargo (TEU, FEU or tonne): % of its value, or per TEU (a FEU is two
        TEU of cargo value and insurance; a tonne is a tenth of a loaded TEU).  For
        ``pct_money_transferred``, the cost of paying for the goods themselves."""
        if not self.priced or self.value is None:
            raise ValueError(f"premium {self.id} is not priced (basis {self.basis}, no value)")
        if self.basis in ("pct_cargo_value", "pct_money_transferred"):
            if value_usd_per_unit is None:
                raise ValueError("the cargo class has no value_usd_per_unit")
            return self.value / 100.0 * value_usd_per_unit
        return self.value * {"TEU": 1.0, "FEU": 2.0, "t": 0.1}[unit]


@dataclass(frozen=True)
class RiskProfile:
    """Who is shipping, and so which risks they pay and which rules ``avoid_sanctioned`` adds.

    ``observes``: the jurisdictions whose sanctions bind the shipper (and their bank and
    insurer); ``premiums``: the premium ids they pay; ``avoid_scopes``: the sanction scopes
    whose targets ``avoid_sanctioned`` excludes."""

    name: str
    description: str
    observes: tuple[str, ...] = ()
    premiums: tuple[str, ...] = ()
    avoid_scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskData:
    memberships: tuple[Membership, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    security: Mapping[str, SecurityScore] = field(default_factory=dict)
    premiums: Mapping[str, Premium] = field(default_factory=dict)
    profiles: Mapping[str, RiskProfile] = field(
        default_factory=lambda: {NO_RISK: RiskProfile(NO_RISK, "No risk priced.")}
    )

    def members(self, body: str) -> frozenset[str]:
        """Countries that are full members of ``body``."""
        return frozenset(
            m.country for m in self.memberships if m.body == body and m.status == "member"
        )

    def sanctioned(self, profile: RiskProfile, scopes: Set[str] | None = None) -> frozenset[str]:
        """Countries targeted by a regime the profile observes (of these scopes, if given)."""
        return frozenset(
            s.target
            for s in self.sanctions
            if s.imposed_by in profile.observes and (scopes is None or s.scope in scopes)
        )

    def regimes_on(self, country: str, profile: RiskProfile) -> tuple[Sanction, ...]:
        return tuple(
            s for s in self.sanctions if s.target == country and s.imposed_by in profile.observes
        )
