"""Views of the risk and policy data: profiles, premiums, sanctions, memberships and security
scores, for ``corridors risk`` and ``GET /v1/risk``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from corridors.model import Network
from corridors.views.routes import table

__all__ = ["risk_dict", "risk_text"]


def risk_dict(net: Network) -> dict[str, Any]:
    """Every risk attribute with its source keys and date."""
    risk = net.risk
    bodies: dict[str, dict[str, str]] = {}
    for m in risk.memberships:
        bodies.setdefault(m.country, {})[m.body] = m.status
    return {
        "profiles": {
            name: {
                "description": p.description,
                "observes": list(p.observes),
                "premiums": list(p.premiums),
                "avoid_scopes": list(p.avoid_scopes),
                "avoids": sorted(risk.sanctioned(p, set(p.avoid_scopes))),
            }
            for name, p in sorted(risk.profiles.items())
        },
        "premiums": [
            {**asdict(p), "sources": list(p.sources), "priced": p.priced}
            for p in risk.premiums.values()
        ],
        "sanctions": [
            {**asdict(s), "affects": list(s.affects), "sources": list(s.sources)}
            for s in risk.sanctions
        ],
        "security": {
            c: {**asdict(s), "sources": list(s.sources), "score": s.score}
            for c, s in sorted(risk.security.items())
        },
        "memberships": dict(sorted(bodies.items())),
    }


def _value(p: dict[str, Any]) -> str:
    """The premium's value, else its published range."""
    if p["value"] is not None:
        return f"{p['value']:g}"
    low, high = (p[k] for k in ("low", "high"))
    return f"{'' if low is None else f'{low:g}'}-{'' if high is None else f'{high:g}'}"


def risk_text(net: Network) -> str:
    """Profiles, then the premiums they may pay, then the sanctions regimes."""
    d = risk_dict(net)
    out = ["profiles:"]
    for name, p in d["profiles"].items():
        out.append(f"  {name}: {p['description']}")
        if p["observes"]:
            out.append(f"    observes sanctions of: {', '.join(p['observes'])}")
        if p["premiums"]:
            out.append(f"    pays: {', '.join(p['premiums'])}")
        if p["avoids"]:
            out.append(f"    --avoid-sanctioned keeps out of: {', '.join(p['avoids'])}")
    rows = [
        [
            p["id"],
            p["area"],
            p["kind"],
            _value(p),
            p["basis"],
            "yes" if p["priced"] else "no (evidence)",
            p["as_of"],
            p["sources"][0] + (f" +{len(p['sources']) - 1}" if len(p["sources"]) > 1 else ""),
        ]
        for p in d["premiums"]
    ]
    if rows:
        header = ["premium", "area", "kind", "value", "basis", "priced", "as of", "sources"]
        out += ["", table(rows, header)]
    rows = [
        [s["target"], s["imposed_by"], s["scope"], s["since"], s["as_of"], s["summary"][:70]]
        for s in d["sanctions"]
    ]
    if rows:
        out += ["", table(rows, ["target", "by", "scope", "since", "as of", "summary"])]
    return "\n".join(out)
