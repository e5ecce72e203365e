"""Views of a Monte Carlo run and of break-even searches: JSON, text, charts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from corridors.charts import figure_bytes, new_figure
from corridors.uncertainty.montecarlo import MonteCarloResult
from corridors.uncertainty.sensitivity import BreakEven, TornadoBar

__all__ = [
    "breakeven_dict",
    "breakeven_text",
    "distribution_chart",
    "montecarlo_dict",
    "montecarlo_text",
    "tornado_chart",
]


def _r(d: dict[str, float], digits: int = 1) -> dict[str, float]:
    return {k: round(v, digits) for k, v in d.items()}


def montecarlo_dict(res: MonteCarloResult, network: str) -> dict[str, Any]:
    req = res.request
    return {
        "origin": req.origin,
        "destination": req.destination,
        "objective": req.objective,
        "cargo": req.cargo,
        "quantity": req.quantity,
        "draws": res.draws,
        "seed": res.seed,
        "spread": res.spread,
        "factors": list(res.factors),
        "p_through_iran_best": round(res.p_through_iran_best, 4),
        "corridors": [
            {
                "corridor": o.corridor,
                "name": o.name,
                "through_iran": o.through_iran,
                "p_best": round(o.p_best, 4),
                "deterministic": _r(o.deterministic, 2),
                "time_h": _r(o.time_h),
                "cost_usd": _r(o.cost_usd),
                "objective": _r(o.objective),
            }
            for o in res.outcomes
        ],
        "workers": res.workers,
        "elapsed_s": res.elapsed_s,
        "network": network,
    }


def montecarlo_text(res: MonteCarloResult) -> str:
    req = res.request
    lines = [
        f"{req.origin} -> {req.destination}: {res.draws} draws (seed {res.seed}, spread "
        f"{res.spread:g}), best by {req.objective}; through Iran best in "
        f"{100 * res.p_through_iran_best:.1f} % of draws",
        f"{'corridor':28s} {'P(best)':>8s} {'days P10/P50/P90':>22s} {'USD P10/P50/P90':>26s}"
        f" {'model days':>10s}",
    ]
    for o in res.outcomes:
        t, c = o.time_h, o.cost_usd
        days = f"{t['p10'] / 24:6.1f} {t['p50'] / 24:6.1f} {t['p90'] / 24:6.1f}"
        usd = f"{c['p10']:8,.0f} {c['p50']:8,.0f} {c['p90']:8,.0f}"
        lines.append(
            f"{o.corridor:28s} {100 * o.p_best:7.1f}% {days:>22s} {usd:>26s}"
            f" {o.deterministic['time_h'] / 24:10.1f}"
        )
    if req.risk_profile != "none":
        drawn = [f for f in res.factors if f.startswith("premium:")]
        lines.append(
            f"USD include the priced risk of profile {req.risk_profile}"
            + (f"; drawn over their published ranges: {', '.join(drawn)}" if drawn else "")
        )
    lines.append(f"({res.elapsed_s:.1f} s, {res.workers or 'no'} Dask workers)")
    return "\n".join(lines)


def breakeven_dict(
    found: list[BreakEven], bars: list[TornadoBar], objective: str, network: str
) -> dict[str, Any]:
    return {
        "objective": objective,
        "gap": "first corridor's objective minus the second's (negative: the first wins)",
        "breakeven": [asdict(b) | {"between": list(b.between)} for b in found],
        "tornado": [asdict(b) | {"swing": b.swing} for b in bars],
        "network": network,
    }


def breakeven_text(found: list[BreakEven], bars: list[TornadoBar]) -> str:
    lines = []
    for b in found:
        a, c = b.between
        head = f"{b.parameter}: {a} - {c} gap {b.gap_at_low:,.1f} at {b.low:g}"
        head += f", {b.gap_at_high:,.1f} at {b.high:g}"
        if b.value is None:
            lines.append(f"{head}; no flip in this range")
        else:
            lines.append(f"{head}; ranks swap at {b.value:.4g} (+/- {b.tolerance / 2:.2g})")
    if bars:
        lines.append("tornado (gap at the factor's low / high, the others at the model's figures):")
        lines += [
            f"  {t.parameter:22s} {t.gap_at_low:12,.1f} {t.gap_at_high:12,.1f}"
            f"  swing {t.swing:10,.1f}"
            for t in bars
            if t.swing > 0
        ]
        still = [t.parameter for t in bars if t.swing == 0]
        if still:
            lines.append(f"  no effect on this gap: {', '.join(still)}")
    return "\n".join(lines)


def distribution_chart(res: MonteCarloResult, network: str, fmt: str = "png") -> bytes:
    """Box plots (P10-P90 whiskers) of days and USD per corridor, with P(best) in the labels."""
    fig = new_figure(10, 0.6 * len(res.outcomes) + 2)
    ax_t, ax_c = fig.subplots(1, 2, sharey=True)
    order = list(res.outcomes)
    cols = [res.columns.index(o.corridor) for o in order]
    samples_t = [res.samples.time_h[:, j] / 24 for j in cols]
    samples_c = [res.samples.cost_usd[:, j] for j in cols]
    labels = [f"{o.name}\nP(best) {100 * o.p_best:.0f} %" for o in order]
    for ax, data, title in (
        (ax_t, samples_t, "days door to door"),
        (ax_c, samples_c, "USD for the shipment"),
    ):
        ax.boxplot(data, orientation="horizontal", whis=(10, 90), showfliers=False)
        ax.set_title(title)
        ax.grid(axis="x", alpha=0.3)
    ax_t.set_yticks(range(1, len(order) + 1), labels)
    ax_t.invert_yaxis()
    req = res.request
    fig.suptitle(
        f"{req.origin} -> {req.destination}: {res.draws} draws, best by {req.objective} "
        f"(boxes P25-P75, whiskers P10-P90)"
    )
    fig.text(0.01, 0.0, f"corridors, network {network}, seed {res.seed}", fontsize=7)
    return figure_bytes(fig, fmt)


def tornado_chart(bars: list[TornadoBar], between: tuple[str, str], fmt: str = "png") -> bytes:
    """Horizontal bars: the gap at each factor's low and high."""
    bars = [b for b in bars if b.swing > 0] or bars[:1]
    fig = new_figure(8, 0.4 * len(bars) + 1.5)
    ax = fig.subplots()
    for y, b in enumerate(bars):
        lo, hi = sorted((b.gap_at_low, b.gap_at_high))
        ax.barh(y, hi - lo, left=lo, color="tab:blue", alpha=0.7)
        ax.text(hi, y, f" {b.low:g}-{b.high:g}", va="center", fontsize=7)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(bars)), [b.parameter for b in bars])
    ax.invert_yaxis()
    ax.set_xlabel(f"{between[0]} minus {between[1]} (negative: {between[0]} wins)")
    ax.set_title("What moves the gap most (each factor from its low to its high)")
    return figure_bytes(fig, fmt)
