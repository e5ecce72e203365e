"""Corridor comparisons an analyst can trust: rows follow their corridor, no absurd detours,
no place visited twice, no flying containers, markets respected (issue 10)."""

from __future__ import annotations

import random

import pytest

from corridors.compare import best_in_corridor, compare, follows
from corridors.data import default_data_dir
from corridors.errors import NoRouteError
from corridors.request import RouteRequest, Via
from corridors.scenarios import load_scenario
from tests.conftest import route_places

NAMED = [("Mumbai", "Moscow"), ("Xi'an", "Duisburg"), ("Almaty", "Xi'an"), ("Ashgabat", "Istanbul")]


def _suite_pairs(router):
    pairs = set()
    for path in sorted((default_data_dir() / "scenarios").glob("*.toml")):
        for q in load_scenario(path, router).queries:
            pairs.add((q.origin, q.destination))
    return sorted(pairs)


@pytest.fixture(scope="module")
def comparisons(real_router):
    pairs = NAMED + _suite_pairs(real_router)
    return {
        p: compare(real_router, RouteRequest(*p, objective="generalized"))
        for p in dict.fromkeys(pairs)
    }


def test_every_row_follows_its_corridor_and_is_simple(real_router, comparisons):
    net = real_router.network
    for pair, cmp in comparisons.items():
        for r in cmp.results:
            if r.route is None:
                assert r.reason, (pair, r.corridor.id)
                continue
            assert follows(net, r.route, r.corridor), (pair, r.corridor.id)
            places = route_places(r.route)
            assert len(places) == len(set(places)), (pair, r.corridor.id, places)
            assert "air" not in {leg.mode for leg in r.route.legs}


def test_a_caspian_corridor_has_a_caspian_sea_leg(real_router, comparisons):
    net = real_router.network
    caspian = {"instc_west_caspian", "middle_corridor", "lapis_lazuli"}
    seen = 0
    for cmp in comparisons.values():
        for r in cmp.results:
            if r.route is not None and r.corridor.id in caspian:
                seen += 1
                assert any(
                    leg.mode == "sea" and net.link_by_id[leg.link_id].basin == "caspian"
                    for leg in r.route.legs
                ), r.corridor.id
    assert seen


def test_no_ranked_row_is_beyond_the_detour_factor(comparisons):
    for pair, cmp in comparisons.items():
        best = cmp.best_overall
        if best is None:
            continue
        for r in cmp.results:
            if r.status == "ranked":
                assert r.gap is not None
                base = r.gap["objective"]
                value = base + (
                    best.summary.cost_usd + cmp.value_of_time_usd_per_unit_h * best.summary.time_h
                )
                assert value <= cmp.detour_factor * (value - base) + 1e-6, (pair, r.corridor.id)
            if r.status == "not_competitive":
                assert r.route is not None and "detour factor" in (r.reason or "")


def test_markets_decide_applicability(comparisons):
    mumbai_moscow = {r.corridor.id: r for r in comparisons[("Mumbai", "Moscow")].results}
    assert mumbai_moscow["northern_route"].status == "not_applicable"
    assert mumbai_moscow["iran_south_sarakhs"].status == "not_applicable"
    assert mumbai_moscow["instc_west_caspian"].status == "ranked"
    almaty_xian = comparisons[("Almaty", "Xi'an")]
    assert almaty_xian.best_overall is not None
    assert set(almaty_xian.best_overall.summary.countries) == {"KZ", "CN"}
    assert almaty_xian.best_follows == ()  # the direct Kazakhstan-China link: no named corridor
    assert not [r for r in almaty_xian.results if r.status == "ranked"]


def test_iran_turkey_land_serves_ashgabat_istanbul_overland(comparisons):
    rows = {r.corridor.id: r for r in comparisons[("Ashgabat", "Istanbul")].results}
    r = rows["iran_turkey_land"]
    assert r.status == "ranked" and r.route is not None
    assert r.route.summary.countries == ("TM", "IR", "TR")
    assert r.route.summary.time_days < 20  # overland, not a sea detour via Jebel Ali


def test_the_best_route_of_all_is_labelled(comparisons):
    cmp = comparisons[("Xi'an", "Duisburg")]
    assert "northern_route" in cmp.best_follows
    assert cmp.best_iran_share is not None and cmp.best_iran_share["cost"] == 0.0


def test_routes_on_random_pairs_never_visit_a_place_twice(real_router):
    locs = sorted(real_router.network.locations)
    rng = random.Random(11)
    checked = 0
    for _ in range(150):
        a, b = rng.sample(locs, 2)
        for objective in ("cost", "time", "generalized"):
            try:
                route = real_router.route(RouteRequest(a, b, objective=objective))
            except NoRouteError:
                continue
            places = route_places(route)
            assert len(places) == len(set(places)), (a, b, objective, places)
            assert "air" not in {leg.mode for leg in route.legs}
            checked += 1
    assert checked > 300


def test_a_forced_out_and_back_is_named(real_router):
    from corridors.errors import InfeasibleError

    with pytest.raises(InfeasibleError) as info:
        real_router.route(RouteRequest("Almaty", "Tashkent", gates=(("aktau",),)))
    assert info.value.rules == ["simple_path"] and "twice" in str(info.value)
    loose = real_router.route(
        RouteRequest("Almaty", "Tashkent", gates=(("aktau",),), simple_path=False)
    )
    places = route_places(loose)
    assert len(places) > len(set(places))


def test_gates_run_in_the_shipments_direction(real_router, comparisons):
    """Gates are listed from a corridor's first market side to its second: a shipment that way
    passes them in order, the way back in reverse, never against the direction of travel (a
    China-Europe row through "Sarakhs to Bandar Abbas" does not sail to Bandar Abbas first and
    take the train back north)."""
    net = real_router.network
    c = net.corridors["iran_south_sarakhs"]
    assert c.gate_orders("UZ", "IN") == [c.gates]  # Central Asia -> South Asia: as listed
    assert c.gate_orders("IN", "UZ") == [tuple(reversed(c.gates))]  # and back
    assert len(c.gate_orders()) == 2  # no direction given: both
    checked = 0
    for (a, b), cmp in comparisons.items():
        ca, cb = (net.locations[real_router.resolve(x)].country for x in (a, b))
        for res in cmp.results:
            if res.route is None or len(res.corridor.gates) < 2:
                continue
            orders = res.corridor.gate_orders(ca, cb)
            if len(orders) == 1:  # a direction is given: the route keeps it
                checked += 1
                assert follows(net, res.route, res.corridor)
                assert res.corridor.gate_orders(cb, ca) != orders
    assert checked >= 20


def test_a_gateway_port_is_left_by_ship_unless_the_shipment_ends_there(real_router):
    """``bandar_abbas@port``: a shipment ending at Bandar Abbas meets the gate by rail; one
    going beyond leaves it by ship (it does not turn back north by rail)."""
    net = real_router.network
    c = net.corridors["iran_south_sarakhs"]
    to_port = best_in_corridor(real_router, RouteRequest("Almaty", "Bandar Abbas"), c)
    assert to_port.route is not None and to_port.route.legs[-1].mode != "sea"
    for origin, destination in (("Tashkent", "Duisburg"), ("Tashkent", "Mumbai")):
        res = best_in_corridor(
            real_router, RouteRequest(origin, destination, objective="generalized"), c
        )
        assert res.route is not None, res.reason
        legs = res.route.legs
        after = [leg for i, leg in enumerate(legs) if legs[i - 1].to_id == "bandar_abbas" and i]
        assert after and after[0].mode == "sea", (origin, destination)
        assert follows(net, res.route, c)
    from_port = best_in_corridor(real_router, RouteRequest("Bandar Abbas", "Almaty"), c)
    assert from_port.route is not None and follows(net, from_port.route, c)


def test_via_points_inside_a_corridor_are_met_with_its_gates(real_router):
    # the InterRail Tashkent-Derince route: Aktau (a Caspian gate), Alat by sea, then
    # Akhalkalaki in Georgia; the via points are ordered among themselves, not before the gates
    c = real_router.network.corridors["middle_corridor"]
    req = RouteRequest(
        "tashkent",
        "istanbul",
        objective="generalized",
        modes=("rail", "sea"),
        via=(Via("aktau"), Via("akhalkalaki")),
    )
    found = best_in_corridor(real_router, req, c)
    assert found.route is not None, found.reason
    places = route_places(found.route)
    assert places.index("aktau") < places.index("alat") < places.index("akhalkalaki")
    assert follows(real_router.network, found.route, c)
