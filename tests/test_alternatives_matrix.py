"""Alternatives, OD matrices and criticality (issue 13), and the Python API."""

from __future__ import annotations

import math
import random

import pytest

from corridors.alternatives import MAX_K, alternatives
from corridors.criticality import betweenness_screen, criticality, elements_to_close
from corridors.errors import NoRouteError, RequestError, UnknownLocationError
from corridors.matrix import MAX_CELLS, od_matrix
from corridors.request import RouteRequest, Via
from tests.conftest import route_places


def test_alternatives_are_distinct_simple_and_within_the_factor(real_router):
    locs = sorted(real_router.network.locations)
    rng = random.Random(21)
    checked = 0
    for _ in range(25):
        a, b = rng.sample(locs, 2)
        req = RouteRequest(a, b, objective="generalized")
        try:
            found = alternatives(real_router, req, k=4, max_factor=1.5)
        except NoRouteError:
            continue
        vot = real_router.value_of_time(req)
        best = found[0].route.summary.cost_usd + vot * found[0].route.summary.time_h
        keys = [frozenset(x.key_elements) for x in found]
        assert len(keys) == len(set(keys))  # every alternative uses other crossings or sea links
        for alt in found:
            places = route_places(alt.route)
            assert len(places) == len(set(places))
            value = alt.route.summary.cost_usd + vot * alt.route.summary.time_h
            assert value <= 1.5 * best + 1e-6
        checked += 1
    assert checked >= 15


def test_alternatives_keep_via_points_and_say_what_they_trade(real_router):
    req = RouteRequest("Almaty", "Tehran", objective="generalized", via=(Via("Ashgabat"),))
    found = alternatives(real_router, req, k=3)
    assert len(found) >= 2
    for alt in found:
        assert "ashgabat" in route_places(alt.route)
    assert found[0].delta_cost_usd == 0 and found[0].delta_time_h == 0
    avoid = alternatives(
        real_router, RouteRequest("Almaty", "Istanbul", objective="generalized"), k=8
    )
    # Almaty-Istanbul: through Russia and Dagestan, across the Caspian or through Iran: whichever
    # is best, an alternative takes another and says which countries it leaves out or adds
    best = set(avoid[0].route.summary.countries)
    assert any(a.avoids_countries or a.adds_countries for a in avoid[1:])
    for a in avoid[1:]:
        here = set(a.route.summary.countries)
        assert set(a.avoids_countries) == best - here
        assert set(a.adds_countries) == here - best


def test_alternatives_bad_input(real_router):
    req = RouteRequest("Almaty", "Tehran")
    for k in (0, MAX_K + 1):
        with pytest.raises(RequestError, match="k must be"):
            alternatives(real_router, req, k=k)


def test_matrix_equals_single_queries(real_router):
    locs = sorted(real_router.network.locations)
    rng = random.Random(4)
    origins, dests = rng.sample(locs, 6), rng.sample(locs, 8)
    base = RouteRequest(origins[0], dests[0], objective="generalized", quantity=2)
    cells = od_matrix(real_router, origins, dests, base)
    assert len(cells) == 48
    for c in cells:
        if c.origin == c.destination or not c.reachable:
            continue
        r = real_router.route(
            RouteRequest(c.origin, c.destination, objective="generalized", quantity=2)
        )
        assert c.cost_usd == pytest.approx(r.summary.cost_usd, rel=1e-9)
        assert c.time_h == pytest.approx(r.summary.time_h, rel=1e-9)
        assert c.border_crossings == r.summary.border_crossings
        assert 0 <= c.iran_share_km <= 1


def test_matrix_bad_input_nothing_half_computed(real_router):
    with pytest.raises(RequestError, match="at least one origin"):
        od_matrix(real_router, [], ["Tehran"])
    with pytest.raises(UnknownLocationError, match="Tashknet") as info:
        od_matrix(real_router, ["Almaty", "Tashknet"], ["Tehran"])
    assert info.value.suggestions
    many = ["Almaty"] * (MAX_CELLS // 2 + 1)
    with pytest.raises(RequestError) as big:
        od_matrix(real_router, many, ["Tehran", "Baku"])
    assert big.value.kind == "too-big"


def test_criticality_top_entry_is_reproduced_by_closing_it(real_router):
    pairs = [
        ("Tashkent", "Mumbai"),
        ("Almaty", "Mumbai"),
        ("Ashgabat", "Mumbai"),
        ("Almaty", "Tehran"),
    ]
    ranked = criticality(real_router, pairs)
    top = next(c for c in ranked if c.disconnected_pairs == 0 and c.cost_increase_usd > 0)
    kind, links = elements_to_close(real_router)[top.element]
    vot = real_router.network.params.cargo["container"].value_of_time_usd_per_unit_h
    total = 0.0
    for a, b in pairs:
        before = real_router.route(RouteRequest(a, b, objective="generalized"))
        after = real_router.route(RouteRequest(a, b, objective="generalized", exclude_links=links))
        gen = lambda r: r.summary.cost_usd + vot * r.summary.time_h  # noqa: E731
        total += gen(after) - gen(before)
    assert total == pytest.approx(top.cost_increase_usd, rel=1e-6)
    assert math.isfinite(top.cost_increase_usd)
    screen = betweenness_screen(real_router, 5)
    assert len(screen) == 5 and screen[0][1] >= screen[-1][1]


def test_a_caspian_ferry_line_closes_with_all_its_services(real_router):
    # the same ships carry lifted containers and wagons: closing the line closes both links
    kind, links = elements_to_close(real_router)["sea_kuryk_alat"]
    assert kind == "ferry" and set(links) == {"sea_kuryk_alat", "sea_kuryk_alat_rail_ferry"}
    assert "sea_kuryk_alat_rail_ferry" not in elements_to_close(real_router)


def test_the_python_api():
    import corridors

    r = corridors.route("Tashkent", "Bandar Abbas", objective="generalized")
    assert r.summary.cost_usd > 0
    cmp = corridors.compare("Almaty", "Istanbul")
    assert cmp.request.objective == "generalized" and cmp.best_overall is not None
    cells = corridors.matrix(["Almaty"], ["Tehran", "Baku"])
    assert [c.destination for c in cells] == ["tehran", "baku"]
    assert corridors.alternatives("Almaty", "Tehran", k=2)
    assert corridors.router() is corridors.router()  # built once
