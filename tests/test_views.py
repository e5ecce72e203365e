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
