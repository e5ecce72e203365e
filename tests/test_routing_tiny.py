"""Route queries on the tiny network, whose answers are worked out by hand in the comments.

Tiny network (tests/data/tiny): alpha (KZ) -- bravo (KZ border) == charlie (TM border) -- delta
(TM) -- echo (TM), by rail 1520 and road; a Caspian sea link alpha-delta; a planned rail 1435
delta-echo (2030).  Rail 1 USD/TEU-km at 30 km/h; road 1.5 at 50 km/h; terminals rail 50 USD
6 h, road 20 USD 2 h; rail border 10 h and 100 USD (own figures), road border default 8 h 120 USD.
"""

from __future__ import annotations

import pytest

from corridors.errors import InfeasibleError, RequestError, UnknownLocationError
from corridors.request import RouteRequest, Via


def test_cheapest_is_all_rail(tiny_router):
    r = tiny_router.route(RouteRequest("alpha", "delta"))
    # 50 terminal + 90 rail + 100 border + 5 crossing + 85 rail + 50 terminal
    assert r.summary.cost_usd == pytest.approx(380.0)
    # 6 + 3 + 10 + 5/30 + 85/30 + 6
    assert r.summary.time_h == pytest.approx(6 + 3 + 10 + 5 / 30 + 85 / 30 + 6)
    assert [leg.mode for leg in r.legs] == ["rail", "rail", "rail"]
    assert r.summary.border_crossings == 1
    assert r.summary.countries == ("KZ", "TM")


def test_fastest_is_road(tiny_router):
    r = tiny_router.route(RouteRequest("alpha", "delta", objective="time"))
    # road terminals 2 + 2, 95/50 + 8 (default road border) + 5/50 + 88/50
    assert r.summary.time_h == pytest.approx(2 + 95 / 50 + 8 + 5 / 50 + 88 / 50 + 2)
    assert {leg.mode for leg in r.legs} == {"road"}
    border = [e for e in r.events if e.kind == "border"][0]
    assert border.default_used
    assert any("default" in w for w in r.warnings)


def test_quantity_scales_totals(tiny_router):
    one = tiny_router.route(RouteRequest("alpha", "delta"))
    ten = tiny_router.route(RouteRequest("alpha", "delta", quantity=10))
    assert ten.summary.cost_usd == pytest.approx(10 * one.summary.cost_usd)
    assert ten.summary.co2_kg == pytest.approx(10 * one.summary.co2_kg)
    assert ten.summary.time_h == pytest.approx(one.summary.time_h)


def test_totals_reconcile_with_legs_events_and_tcd(tiny_router):
    r = tiny_router.route(RouteRequest("alpha", "echo", year=2030, objective="generalized"))
    assert r.summary.cost_usd == pytest.approx(sum(s.cost_usd for s in r.steps))
    assert r.summary.time_h == pytest.approx(sum(s.time_h for s in r.steps))
    assert r.summary.distance_km == pytest.approx(sum(leg.distance_km for leg in r.legs))
    last = r.tcd[-1]
    assert (last.distance_km, last.time_h, last.cost_usd) == pytest.approx(
        (r.summary.distance_km, r.summary.time_h, r.summary.cost_usd)
    )


def test_planned_line_only_with_its_year(tiny_router):
    now = tiny_router.route(RouteRequest("delta", "echo", modes=("rail", "road")))
    assert all(leg.status == "operational" for leg in now.legs)
    later = tiny_router.route(RouteRequest("delta", "echo", modes=("rail",), year=2030))
    assert [leg.link_id for leg in later.legs] == ["rail_delta_echo"]
    assert any("planned" in w for w in later.warnings)
    with pytest.raises(InfeasibleError) as info:
        tiny_router.route(RouteRequest("delta", "echo", modes=("rail",), year=2029))
    assert info.value.rules == ["modes"]


def test_excluding_the_border_forces_the_caspian(tiny_router):
    r = tiny_router.route(RouteRequest("alpha", "delta", exclude_locations=("bravo",)))
    assert [leg.mode for leg in r.legs] == ["sea"]
    waits = [e for e in r.events if e.kind == "service_wait"]
    assert waits[0].time_h == pytest.approx(0.5 * 168 / 7)  # own frequency: 7 per week


def test_budget_infeasible_names_the_rule_and_best_without(tiny_router):
    with pytest.raises(InfeasibleError) as info:
        tiny_router.route(RouteRequest("alpha", "delta", max_hours=10))
    assert info.value.rules == ["max_hours"]
    assert info.value.best_without is not None
    assert info.value.best_without["cost_usd"] == pytest.approx(380.0)


def test_combination_of_rules_is_named(tiny_router):
    # rail only is feasible (28 h) and <= 20 h is feasible by road; together they are not
    with pytest.raises(InfeasibleError, match="combination") as info:
        tiny_router.route(RouteRequest("alpha", "delta", modes=("rail",), max_hours=20))
    assert set(info.value.rules) == {"modes", "max_hours"}


def test_via_with_dwell_and_max_borders(tiny_router):
    r = tiny_router.route(RouteRequest("alpha", "echo", via=(Via("charlie", 24.0),)))
    dwell = [e for e in r.events if e.kind == "via_dwell"]
    assert dwell and dwell[0].time_h == 24.0 and dwell[0].location_id == "charlie"
    r0 = tiny_router.route(RouteRequest("alpha", "echo", max_borders=0))
    assert r0.summary.border_crossings == 0
    assert any(leg.mode == "sea" for leg in r0.legs)


def test_conflicting_rules_are_rejected(tiny_router):
    with pytest.raises(RequestError, match="excluded") as info:
        tiny_router.route(RouteRequest("alpha", "delta", exclude_countries=("TM",)))
    assert info.value.kind == "constraint-conflict"
    with pytest.raises(RequestError, match="same location"):
        tiny_router.route(RouteRequest("alpha", "Alfa"))
    with pytest.raises(RequestError, match="objective: unknown value"):
        tiny_router.route(RouteRequest("alpha", "delta", objective="cheapest"))


def test_places_are_matched_loosely_with_suggestions(tiny_router):
    assert tiny_router.resolve("ÁLPHA town") == "alpha"
    assert tiny_router.resolve("TMDLT") == "delta"
    with pytest.raises(UnknownLocationError) as info:
        tiny_router.resolve("Deltta")
    assert info.value.suggestions[0].startswith("delta")


@pytest.mark.parametrize("solver", ["labels", "mip"])
def test_side_rule_solvers_agree_with_dijkstra_without_rules(tiny_router, solver):
    plain = tiny_router.route(RouteRequest("alpha", "echo", year=2030))
    other = tiny_router.route(RouteRequest("alpha", "echo", year=2030, solver=solver))
    assert other.summary.cost_usd == pytest.approx(plain.summary.cost_usd)


def test_pareto_frontier_is_non_dominated_and_brackets_the_extremes(tiny_router):
    res = tiny_router.pareto(RouteRequest("alpha", "echo", year=2030))
    pts = [(p.route.summary.cost_usd, p.route.summary.time_h) for p in res.points]
    for i, a in enumerate(pts):
        for j, b in enumerate(pts):
            if i != j:
                assert not (b[0] <= a[0] and b[1] <= a[1]), (a, b)
    cheapest = tiny_router.route(RouteRequest("alpha", "echo", year=2030))
    fastest = tiny_router.route(RouteRequest("alpha", "echo", year=2030, objective="time"))
    assert pts[0][0] == pytest.approx(cheapest.summary.cost_usd)
    assert min(t for _, t in pts) == pytest.approx(fastest.summary.time_h)
    for prev, cur, p in zip(pts, pts[1:], res.points[1:], strict=False):
        assert p.flip_value_of_time_usd_per_unit_h == pytest.approx(
            (cur[0] - prev[0]) / (prev[1] - cur[1])
        )


def test_pareto_value_of_time_ranges_match_the_generalized_optimum(tiny_router):
    res = tiny_router.pareto(RouteRequest("alpha", "echo", year=2030))
    ranges = [p.optimal_for_value_of_time for p in res.points]
    assert ranges[0] is not None and ranges[0][0] == 0.0  # the cheapest wins at VoT 0
    assert ranges[-1] is not None and ranges[-1][1] == float("inf")  # the fastest wins at the top
    for p, rng in zip(res.points, ranges, strict=True):
        if rng is None:
            continue
        low, high = rng
        v = (low + high) / 2 if high != float("inf") else low + 10.0
        best = tiny_router.route(
            RouteRequest(
                "alpha", "echo", year=2030, objective="generalized", value_of_time_usd_per_unit_h=v
            )
        )
        s = p.route.summary
        assert best.solver.objective_per_unit == pytest.approx(s.cost_usd + v * s.time_h)
    supported = [r for r in ranges if r is not None]
    for a, b in zip(supported, supported[1:], strict=False):
        assert a[1] == pytest.approx(b[0])  # the ranges tile [0, inf)
