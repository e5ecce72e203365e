"""Charts: TCD, Pareto frontier and corridor bars as PNG and SVG, with place names (not ids),
a footnote that says what they show, and labels that never overlap."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from corridors.charts import (
    _place_labels,
    chart_footnote,
    comparison_chart,
    new_figure,
    pareto_chart,
    tcd_chart,
)
from corridors.compare import compare
from corridors.request import RouteRequest
from corridors.routing import Router


@pytest.fixture(scope="module")
def names(real_router: Router) -> dict[str, str]:
    return {x.id: x.name for x in real_router.network.locations.values()}


def test_labels_placed_at_one_spot_do_not_overlap() -> None:
    fig = new_figure(6, 4)
    ax = fig.add_subplot()
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 10)
    _place_labels(ax, [(50.0, 5.0, f"stop number {i}", "black") for i in range(8)], (100, 10))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]  # the text, not its arrow
    assert len(boxes) == 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_charts_name_places_and_say_what_they_show(
    real_router: Router, names: dict[str, str]
) -> None:
    req = RouteRequest("Almaty", "Mundra", objective="generalized", risk_profile="western-shipper")
    cmp = compare(real_router, req)
    rows = [(r.corridor.name, r.route, r.corridor.through_iran) for r in cmp.results if r.route]
    note = chart_footnote(real_router.network.version, rows[0][1], cmp.value_of_time_usd_per_unit_h)
    assert "value of time 13.63" in note and "risk profile western-shipper" in note
    assert real_router.network.version in note
    bars = comparison_chart(rows, "svg", title="Corridors: Almaty to Nhava Sheva", footnote=note)
    tcd = tcd_chart([(n, r) for n, r, _ in rows], "svg", names=names, footnote=note)
    frontier = real_router.pareto(RouteRequest("Tashkent", "Istanbul"))
    pareto = pareto_chart([p.route for p in frontier.points], "svg", names=names, footnote=note)
    for svg in (bars, tcd, pareto):
        text = svg.decode("utf-8")
        assert "<svg" in text and "value of time 13.63" in text
    assert "Iran south via Sarakhs" in bars.decode()
    cheapest = frontier.points[0].route  # its first port of call or crossing, by name
    first = next(e for e in cheapest.events if e.kind in ("border", "port_handling"))
    assert "Istanbul" in pareto.decode() and names[first.location_id] in pareto.decode()
    assert ">mundra<" not in tcd.decode()  # ids are never shown
    png = pareto_chart([p.route for p in frontier.points], "png", names=names)
    assert png.startswith(b"\x89PNG")
