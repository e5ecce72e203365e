"""Explaining a path: legs and events in travel order, one unit's figures scaled once."""

from __future__ import annotations

import pytest

from corridors.request import RouteRequest, Via


def test_events_carry_their_kinds_from_the_graph(real_router):
    r = real_router.route(
        RouteRequest("Almaty", "Baku", modes=("rail", "sea"), exclude_countries=("RU",))
    )
    kinds = {e.kind for e in r.events}
    assert {"terminal", "port_handling", "service_wait", "en_route"} <= kinds
    assert r.steps[0].kind == "terminal" and r.steps[-1].kind == "terminal"


def test_via_dwell_is_an_event_at_the_via_point(real_router):
    r = real_router.route(RouteRequest("Almaty", "Tashkent", via=(Via("Shymkent", 12.0),)))
    dwell = [e for e in r.events if e.kind == "via_dwell"]
    assert len(dwell) == 1 and dwell[0].time_h == 12.0 and dwell[0].location_id == "shymkent"


def test_signature_lists_borders_and_port_calls_in_order(real_router):
    r = real_router.route(
        RouteRequest("Tashkent", "Baku", modes=("rail", "sea"), via=(Via("Turkmenbashi"),))
    )
    sig = r.summary.signature
    assert any(s.startswith("port ") for s in sig)
    assert r.summary.border_crossings == sum(1 for s in sig if not s.startswith("port "))


def test_provenance_names_what_each_source_was_used_for(real_router):
    r = real_router.route(RouteRequest("Almaty", "Tashkent"))
    used = {u for p in r.provenance for u in p.used_for}
    assert "line haul" in used and any(u.startswith("border crossing") for u in used)
    assert all(p.source in real_router.network.sources for p in r.provenance)


def test_quantity_is_applied_once(real_router):
    one = real_router.route(RouteRequest("Almaty", "Tashkent"))
    five = real_router.route(RouteRequest("Almaty", "Tashkent", quantity=5))
    for a, b in zip(one.steps, five.steps, strict=True):
        assert b.cost_usd == pytest.approx(5 * a.cost_usd)
        assert b.time_h == pytest.approx(a.time_h)
