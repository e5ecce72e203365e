"""UNESCAP time/cost-distance (TCD) charts: cumulative time and cost against distance.

One or several routes on the same axes.  Legs slope up; borders, transfers, gauge changes,
port handling and service waits are vertical steps (no distance), labelled when they add at
least ``label_min_h`` hours.  Output as PNG or SVG bytes; the data behind a chart is
:func:`tcd_series` (the routes' own cumulative series).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from corridors.errors import RequestError
from corridors.model import Event, Route

FORMATS = ("png", "svg")


def tcd_series(routes: Sequence[tuple[str, Route]]) -> list[dict[str, Any]]:
    """The chart's data: per route, the cumulative points (km, h, USD, label)."""
    return [
        {
            "label": label,
            "points": [
                {
                    "distance_km": p.distance_km,
                    "time_h": p.time_h,
                    "cost_usd": p.cost_usd,
                    "label": p.label,
                }
                for p in route.tcd
            ],
        }
        for label, route in routes
    ]


def tcd_chart(
    routes: Sequence[tuple[str, Route]],
    fmt: str = "png",
    *,
    label_min_h: float = 24.0,
    title: str | None = None,
) -> bytes:
    """Render the time/cost-distance chart of ``routes`` as PNG or SVG bytes."""
    if fmt not in FORMATS:
        raise RequestError(f"chart format must be one of {', '.join(FORMATS)}")
    if not routes:
        raise RequestError("a chart needs at least one route")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # the OO API: no global pyplot state

    fig = Figure(figsize=(10, 8), constrained_layout=True)
    ax_t, ax_c = fig.subplots(2, 1, sharex=True)
    for label, route in routes:
        xs = [p.distance_km for p in route.tcd]
        (line,) = ax_t.plot(xs, [p.time_h / 24 for p in route.tcd], label=label, linewidth=1.8)
        ax_c.plot(xs, [p.cost_usd for p in route.tcd], color=line.get_color(), linewidth=1.8)
        for step, point in zip(route.steps, route.tcd[1:], strict=True):
            if isinstance(step, Event) and step.time_h >= label_min_h:
                ax_t.annotate(
                    f"{step.kind.replace('_', ' ')} {step.location_id}",
                    (point.distance_km, point.time_h / 24),
                    fontsize=6,
                    xytext=(3, -3),
                    textcoords="offset points",
                    color=line.get_color(),
                )
    ax_t.set_ylabel("cumulative time (days)")
    ax_c.set_ylabel(f"cumulative cost (USD, {routes[0][1].quantity:g} x {routes[0][1].cargo})")
    ax_c.set_xlabel("cumulative distance (km)")
    ax_t.legend(fontsize=8, loc="upper left")
    for ax in (ax_t, ax_c):
        ax.grid(alpha=0.3)
    first = routes[0][1]
    ax_t.set_title(title or f"Time/cost-distance: {first.origin} to {first.destination}")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=120)
    return buf.getvalue()
