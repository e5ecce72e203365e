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


def _check(fmt: str, items: Sequence[Any], empty: str) -> None:
    if fmt not in FORMATS:
        raise RequestError(f"chart format must be one of {', '.join(FORMATS)}")
    if not items:
        raise RequestError(empty)


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
    import matplotlib

    buf = io.BytesIO()
    # SVG text stays text (searchable, editable), not glyph outlines
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "corridors"}):
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
    # one line of 6-pt text, with air, as a share of the axis height (at least 3.5 %)
    fig_h_in = ax.figure.get_size_inches()[1]
    step = max(0.035, 1.5 * (6 / 72) / (fig_h_in * ax.get_position().height))
    for km, days, text, color in sorted(labels, key=lambda x: (x[0], x[1])):
        x, y = km / x_span, days / y_span
        dy = 0.0
        while any(abs(x - px) < 0.12 and abs(y - dy - py) < step for px, py in placed):
            dy += step
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
    _check(fmt, routes, "a chart needs at least one route")
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
    _footnote(fig, footnote)
    return figure_bytes(fig, fmt, dpi=120)


def chart_footnote(
    network_version: str,
    route: Route,
    value_of_time_usd_per_unit_h: float | None = None,
    what: str = "steps are stops (borders, ports, transfers, waits)",
) -> str:
    """The footnote of a chart: what it shows and on which data (network version, cargo,
    objective, value of time, risk profile)."""
    vot = (
        ""
        if value_of_time_usd_per_unit_h is None
        else f", value of time {value_of_time_usd_per_unit_h:,.2f} USD per unit-hour"
    )
    risk = "" if route.risk_profile == "none" else f", risk profile {route.risk_profile}"
    return (
        f"corridors, network {network_version}; {route.quantity:g} x {route.cargo}, "
        f"objective {route.objective}{vot}{risk}; {what}"
    )


def _short_signature(route: Route, names: Mapping[str, str], limit: int = 3) -> str:
    """A route told by where it crosses borders and calls at ports (place names)."""
    places = list(
        dict.fromkeys(
            ("port " if e.kind == "port_handling" else "") + names.get(e.location_id, e.location_id)
            for e in route.events
            if e.kind in ("border", "port_handling")
        )
    )
    head = ", ".join(places[:limit])
    return head + (" ..." if len(places) > limit else "") if head else "direct"


def pareto_chart(
    routes: Sequence[Route],
    fmt: str = "png",
    *,
    names: Mapping[str, str] | None = None,
    footnote: str | None = None,
) -> bytes:
    """The cost/time frontier: each point a route (cost + risk in USD against days), joined in
    order, labelled by its crossings and ports without overlap."""
    _check(fmt, routes, "a Pareto chart needs at least one route")
    from matplotlib.ticker import FuncFormatter

    names = names or {}
    fig = new_figure(11, 5.5)
    ax, ax_key = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    usd = [r.summary.total_usd for r in routes]
    days = [r.summary.time_days for r in routes]
    ax.plot(usd, days, color="#1f5fa8", lw=1, drawstyle="steps-post", alpha=0.5)
    ax.scatter(usd, days, color="#1f5fa8", zorder=3)
    span = (max(usd) or 1.0, max(days) or 1.0)
    # numbers at the points (short, placed clear of each other), the routes in a key beside
    _place_labels(
        ax,
        [(u, d, str(i), "#333333") for i, (u, d) in enumerate(zip(usd, days, strict=True), 1)],
        span,
    )
    key = [
        f"{i:>2}. {u:,.0f} USD, {d:.1f} d: {_short_signature(r, names)}"
        for i, (u, d, r) in enumerate(zip(usd, days, routes, strict=True), 1)
    ]
    ax_key.axis("off")
    ax_key.text(
        0,
        1,
        "\n".join(key),
        va="top",
        ha="left",
        fontsize=6.5,
        family="monospace",
        transform=ax_key.transAxes,
    )
    first = routes[0]
    origin = names.get(first.origin, first.origin)
    destination = names.get(first.destination, first.destination)
    ax.set_title(f"Cost/time frontier: {origin} to {destination}")
    ax.set_xlabel(f"cost + priced risk (USD, {first.quantity:g} x {first.cargo})")
    ax.set_ylabel("time (days)")
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.grid(alpha=0.3)
    _footnote(fig, footnote)
    return figure_bytes(fig, fmt, dpi=120)


def comparison_chart(
    rows: Sequence[tuple[str, Route, bool]],
    fmt: str = "png",
    *,
    title: str = "Corridors compared",
    footnote: str | None = None,
) -> bytes:
    """Each corridor's best route as bars: transport cost and priced risk (stacked, USD) beside
    its time (days); corridors through Iran hatched.  ``rows``: (name, route, through Iran)."""
    _check(fmt, rows, "a comparison chart needs at least one corridor with a route")
    from matplotlib.ticker import FuncFormatter

    fig = new_figure(9.5, 1.2 + 0.45 * len(rows))
    ax_c, ax_t = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    y = list(range(len(rows)))[::-1]
    hatch = ["//" if iran else "" for _, _, iran in rows]
    cost = [r.summary.cost_usd for _, r, _ in rows]
    risk = [r.summary.risk_usd for _, r, _ in rows]
    days = [r.summary.time_days for _, r, _ in rows]
    ax_c.barh(y, cost, color="#1f5fa8", hatch=hatch, edgecolor="white", label="transport cost")
    ax_c.barh(y, risk, left=cost, color="#b00020", hatch=hatch, edgecolor="white", label="risk")
    ax_t.barh(y, days, color="#7b7b7b", hatch=hatch, edgecolor="white")
    ax_c.set_yticks(y, [textwrap_label(name) for name, _, _ in rows], fontsize=8)
    ax_c.set_xlabel(f"USD ({rows[0][1].quantity:g} x {rows[0][1].cargo})")
    ax_t.set_xlabel("days")
    ax_c.xaxis.set_major_formatter(FuncFormatter(_thousands))
    fig.legend(
        loc="outside upper right",
        ncol=2,
        fontsize=7,
        title="hatched: through Iran",
        title_fontsize=7,
    )
    for ax in (ax_c, ax_t):
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title)
    _footnote(fig, footnote)
    return figure_bytes(fig, fmt, dpi=120)


def textwrap_label(text: str, width: int = 34) -> str:
    """A long corridor name on two lines at most."""
    import textwrap

    lines = textwrap.wrap(text, width)
    return "\n".join(lines[:2]) + ("..." if len(lines) > 2 else "")


def _footnote(fig: Any, footnote: str | None) -> None:
    if not footnote:
        return
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, 0.04, 1, 0.96))  # keep a strip at the bottom for the footnote
    fig.text(0.01, 0.005, footnote, fontsize=7, color="dimgrey", ha="left", va="bottom")
