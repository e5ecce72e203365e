"""UNESCAP time/cost-distance (TCD) charts: cumulative time and cost against distance.

One or several routes on the same axes.  Legs slope up; borders, transfers, gauge changes,
port handling and service waits are vertical steps (no distance), labelled when they add at
least ``label_min_h`` hours.  Output as PNG or SVG bytes; the data behind a chart is
:func:`tcd_series` (the routes' own cumulative series).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from corridors.errors import RequestError
from corridors.model import Event, Leg, Route

FORMATS = ("png", "svg")


def chart_format(path: str) -> str:
    """The chart format a file name asks for: SVG for ``.svg``, else PNG."""
    return "svg" if path.lower().endswith(".svg") else "png"


def new_figure(width_in: float, height_in: float) -> Any:
    """A matplotlib figure on the OO API (no global pyplot state), laid out automatically."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), constrained_layout=True)


def figure_bytes(fig: Any, fmt: str, dpi: int = 110) -> bytes:
    """The figure as PNG or SVG bytes, without a software stamp (reproducible files)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Software": None} if fmt == "png" else None)
    return buf.getvalue()


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


LineStyle = Literal["-", "--", ":", "-."]
MODE_STYLES: dict[str, LineStyle] = {"rail": "-", "road": "--", "sea": ":", "air": "-."}
MAX_LABELS_PER_ROUTE = 8


def _thousands(value: float, _pos: object) -> str:
    return f"{value:,.0f}"


def _labels(
    route: Route, label_min_h: float, names: Mapping[str, str]
) -> list[tuple[float, float, str]]:
    """The longest events of a route (at least ``label_min_h``) as (km, days, text)."""
    found = [
        (step.time_h, point.distance_km, point.time_h / 24, step)
        for step, point in zip(route.steps, route.tcd[1:], strict=True)
        if isinstance(step, Event) and step.time_h >= label_min_h
    ]
    found.sort(key=lambda x: -x[0])
    out = []
    for _, km, days, step in found[:MAX_LABELS_PER_ROUTE]:
        place = names.get(step.location_id, step.location_id)
        out.append((km, days, f"{step.kind.replace('_', ' ')}, {place}"))
    return out


def _place_labels(
    ax: Any, labels: list[tuple[float, float, str, str]], span: tuple[float, float]
) -> None:
    """Write labels, moving each down until it clears the ones already written (in axis units)."""
    placed: list[tuple[float, float]] = []
    x_span, y_span = span
    for km, days, text, color in sorted(labels, key=lambda x: (x[0], x[1])):
        x, y = km / x_span, days / y_span
        dy = 0.0
        while any(abs(x - px) < 0.12 and abs(y - dy - py) < 0.035 for px, py in placed):
            dy += 0.035
        placed.append((x, y - dy))
        ax.annotate(
            text,
            (km, days),
            xytext=(km, days - dy * y_span),
            fontsize=6,
            color=color,
            ha="right" if x > 0.7 else "left",  # near the right edge, write leftwards
            arrowprops={"arrowstyle": "-", "color": color, "lw": 0.4} if dy else None,
        )


def tcd_chart(
    routes: Sequence[tuple[str, Route]],
    fmt: str = "png",
    *,
    label_min_h: float = 24.0,
    title: str | None = None,
    names: Mapping[str, str] | None = None,
    footnote: str | None = None,
) -> bytes:
    """Render the time/cost-distance chart of ``routes`` as PNG or SVG bytes.

    Legs are drawn in the line style of their mode (rail solid, road dashed, sea dotted, air
    dash-dot) and stops as vertical steps; the longest stops are labelled with place names
    (``names``: location id -> name) without overlapping; ``footnote`` (data version, cargo,
    objective) is printed under the chart.
    """
    if fmt not in FORMATS:
        raise RequestError(f"chart format must be one of {', '.join(FORMATS)}")
    if not routes:
        raise RequestError("a chart needs at least one route")
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    names = names or {}
    fig = new_figure(10, 8)
    ax_t, ax_c = fig.subplots(2, 1, sharex=True)
    colors = [f"C{i}" for i in range(10)]
    labels: list[tuple[float, float, str, str]] = []
    max_km = max(route.tcd[-1].distance_km for _, route in routes) or 1.0
    max_days = max(route.tcd[-1].time_h / 24 for _, route in routes) or 1.0
    for i, (label, route) in enumerate(routes):
        color = colors[i % len(colors)]
        points = route.tcd
        for step, a, b in zip(route.steps, points[:-1], points[1:], strict=True):
            style = MODE_STYLES.get(step.mode, "-") if isinstance(step, Leg) else "-"
            width = 1.8 if isinstance(step, Leg) else 1.0
            ax_t.plot(
                [a.distance_km, b.distance_km],
                [a.time_h / 24, b.time_h / 24],
                style,
                color=color,
                linewidth=width,
            )
            ax_c.plot(
                [a.distance_km, b.distance_km],
                [a.cost_usd, b.cost_usd],
                style,
                color=color,
                linewidth=width,
            )
        ax_t.plot([], [], color=color, label=label)
        labels += [(km, d, text, color) for km, d, text in _labels(route, label_min_h, names)]
    _place_labels(ax_t, labels, (max_km, max_days))
    first = routes[0][1]
    ax_t.set_ylabel("cumulative time (days)")
    ax_c.set_ylabel(f"cumulative cost (USD, {first.quantity:g} x {first.cargo})")
    ax_c.set_xlabel("cumulative distance (km)")
    route_legend = ax_t.legend(fontsize=8, loc="upper left")
    ax_t.add_artist(route_legend)
    ax_c.legend(
        handles=[
            Line2D([], [], color="grey", linestyle=v, label=k) for k, v in MODE_STYLES.items()
        ],
        fontsize=7,
        loc="upper left",
        title="mode",
        title_fontsize=7,
    )
    for ax in (ax_t, ax_c):
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax_c.yaxis.set_major_formatter(FuncFormatter(_thousands))
    origin = names.get(first.origin, first.origin)
    destination = names.get(first.destination, first.destination)
    ax_t.set_title(title or f"Time/cost-distance: {origin} to {destination}")
    if footnote:
        engine = fig.get_layout_engine()
        if isinstance(engine, ConstrainedLayoutEngine):
            engine.set(rect=(0, 0.03, 1, 0.97))  # keep a strip at the bottom for the footnote
        fig.text(0.01, 0.005, footnote, fontsize=7, color="dimgrey", ha="left", va="bottom")
    return figure_bytes(fig, fmt, dpi=120)


def chart_footnote(network_version: str, route: Route) -> str:
    """The footnote of a chart: what it shows and on which data."""
    return (
        f"corridors, network {network_version}; {route.quantity:g} x {route.cargo}, "
        f"objective {route.objective}; steps are stops (borders, ports, transfers, waits)"
    )
