"""Views: one route summary everywhere (route, comparison, scenario), JSON-safe."""

from __future__ import annotations

import json

from corridors.compare import compare
from corridors.request import RouteRequest
from corridors.views.comparison import comparison_dict
from corridors.views.routes import route_dict, summary_dict


def test_one_summary_in_every_view(real_router):
    req = RouteRequest("Tashkent", "Mumbai")
    route = real_router.route(req)
    assert route_dict(route)["summary"] == summary_dict(route)
    cmp = compare(real_router, req, ["instc_east", "middle_corridor"])
    view = comparison_dict(cmp)
    keys = set(summary_dict(route))
    for row in view["corridors"]:
        if row["summary"] is not None:
            assert set(row["summary"]) == keys
            assert row["summary"] == row["route"]["summary"]
    json.dumps(view, allow_nan=False)  # plain, finite JSON


def test_route_dict_is_plain_json(real_router):
    d = route_dict(real_router.route(RouteRequest("Almaty", "Bishkek")))
    text = json.dumps(d, allow_nan=False)
    assert '"solver"' in text and '"used_for"' in text
    assert d["legs"] and d["events"] and all("seq" in x for x in d["legs"] + d["events"])


def test_markdown_tables_have_as_many_cells_as_headers():
    import pytest

    from corridors.views.suite import md_table

    lines = md_table(("a", "b"), [["1", "2"], ["x|y", "3"]])
    assert all(line.count("|") == 3 for line in lines)  # cells never split by a stray '|'
    with pytest.raises(ValueError, match="3 cells, header 2"):
        md_table(("a", "b"), [["1", "2", "3"]])


def test_the_committed_suite_report_renders(tmp_path):
    from pathlib import Path

    report = Path(__file__).resolve().parents[1] / "benchmarks/scenarios/report/report.md"
    text = report.read_text(encoding="utf-8")
    assert "+0Δ" not in text and "Δ |" not in text.replace("Δ |", "")
    table: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {row.count("|") for row in table}
            assert len(widths) == 1, table[:3]
            table = []


def test_signed_changes_never_print_plus_zero():
    from corridors.views.suite import _signed

    assert _signed(0.3) == "0" and _signed(-0.4) == "0" and _signed(12.6) == "+13"
    assert _signed(-36.0, 24, 1) == "-1.5" and _signed(None) == "—"
