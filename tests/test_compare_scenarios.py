"""Corridor comparison, charts and scenarios on the bundled network."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from corridors.charts import tcd_chart, tcd_series
from corridors.compare import compare, follows
from corridors.data import default_data_dir
from corridors.errors import ScenarioError
from corridors.request import RouteRequest
from corridors.scenarios import (
    Changes,
    apply_changes,
    load_scenario,
    parse_scenario,
    run_scenario,
)
from corridors.views.comparison import scenario_result_dict

PAIRS = [("Tashkent", "Mumbai"), ("Almaty", "Istanbul"), ("Ashgabat", "Duisburg")]


@pytest.fixture(scope="module")
def comparisons(real_router):
    return {p: compare(real_router, RouteRequest(*p)) for p in PAIRS}


@pytest.mark.parametrize("pair", PAIRS)
def test_each_corridor_route_obeys_its_rules(real_router, comparisons, pair):
    net = real_router.network
    for r in comparisons[pair].results:
        if r.route is None:
            assert r.reason and r.status in ("not_applicable", "no_route")
            continue
        assert follows(net, r.route, r.corridor), r.corridor.id


@pytest.mark.parametrize("pair", PAIRS)
def test_iran_split_is_consistent_with_the_corridor_results(real_router, comparisons, pair):
    cmp = comparisons[pair]
    ranked = [r.route.summary.cost_usd for r in cmp.results if r.status == "ranked"]
    assert ranked == sorted(ranked)
    iran = [r for r in cmp.results if r.route and r.corridor.through_iran]
    assert cmp.best_through_iran is not None
    assert cmp.best_through_iran.route.summary.cost_usd == min(
        r.route.summary.cost_usd for r in iran
    )
    assert "IR" in cmp.best_through_iran.route.summary.countries
    avoid = cmp.best_avoiding_iran
    assert avoid is not None and "IR" not in avoid.summary.countries
    # nothing avoiding Iran in the corridor list beats the best route avoiding Iran
    for r in cmp.results:
        if r.route and "IR" not in r.route.summary.countries:
            assert r.route.summary.cost_usd >= avoid.summary.cost_usd - 1e-6
    assert cmp.delta["cost_usd"] == pytest.approx(
        cmp.best_through_iran.route.summary.cost_usd - avoid.summary.cost_usd
    )
    share = cmp.best_through_iran.iran_share
    assert 0 < share["distance"] <= 1 and 0 < share["cost"] <= 1
    assert cmp.best_overall.summary.cost_usd <= min(ranked) + 1e-6


def test_chart_series_end_at_route_totals_and_images_render(comparisons):
    cmp = comparisons[PAIRS[0]]
    routes = [(r.corridor.name, r.route) for r in cmp.results if r.route][:3]
    for series, (_, route) in zip(tcd_series(routes), routes, strict=True):
        last = series["points"][-1]
        assert last["distance_km"] == pytest.approx(route.summary.distance_km)
        assert last["time_h"] == pytest.approx(route.summary.time_h)
        assert last["cost_usd"] == pytest.approx(route.summary.cost_usd)
        times = [p["time_h"] for p in series["points"]]
        assert times == sorted(times)
    assert tcd_chart(routes, "png").startswith(b"\x89PNG")
    assert b"<svg" in tcd_chart(routes, "svg")[:500]


def test_apply_changes_is_pure_and_changes_only_what_it_says(real_net):
    before = (real_net.links, real_net.borders, real_net.params)
    ch = Changes(
        open=("rail_rasht_astara_ir",),
        border_dwell_scale=0.5,
        border_countries=("KZ",),
        tariff_scale={"rail": 0.8},
        frequency_scale={"sea_caspian": 2.0},
    )
    new = apply_changes(real_net, ch)
    assert (real_net.links, real_net.borders, real_net.params) == before  # base untouched
    old_links = {x.id: x for x in real_net.links}
    for lk in new.links:
        o = old_links[lk.id]
        if lk.id == "rail_rasht_astara_ir":
            assert o.status == "planned" and lk.status == "operational"
        elif lk.mode == "sea" and lk.basin == "caspian" and o.frequency_per_week:
            assert lk.frequency_per_week == pytest.approx(2 * o.frequency_per_week)
        else:
            assert lk == o
    for b, o in zip(new.borders, real_net.borders, strict=True):
        touches_kz = "KZ" in {
            real_net.locations[b.from_id].country,
            real_net.locations[b.to_id].country,
        }
        if touches_kz:
            countries = sorted(real_net.locations[x].country for x in (b.from_id, b.to_id))
            default = real_net.params.border_figures(b.mode, *countries)[1].dwell_h
            assert b.dwell_h == pytest.approx(
                0.5 * (o.dwell_h if o.dwell_h is not None else default)
            )
        else:
            assert b == o
    assert new.params.tariff_scale == {"rail": pytest.approx(0.8)}
    assert new.params.mode == real_net.params.mode  # rates stay; the scale applies on build
    assert new.params.frequency_default_per_week["sea_caspian"] == pytest.approx(
        2 * real_net.params.frequency_default_per_week["sea_caspian"]
    )


def test_bundled_scenarios_load_and_closures_hold(real_router):
    paths = sorted((default_data_dir() / "scenarios").glob("*.toml"))
    assert len(paths) >= 8
    for p in paths:
        load_scenario(p, real_router)
    hormuz = load_scenario(default_data_dir() / "scenarios" / "hormuz_closed.toml", real_router)
    hormuz = parse_scenario(
        {
            **tomllib.loads((default_data_dir() / "scenarios" / "hormuz_closed.toml").read_text()),
            "queries": [{"origin": "Tashkent", "destination": "Mumbai"}],
        },
        real_router,
        file="t",
        scenario_id="t",
    )
    (res,) = run_scenario(real_router, hormuz)
    net = real_router.network
    for r in res.scenario.results:
        if r.route:
            for leg in r.route.legs:
                if leg.mode == "sea":
                    assert "ormuz" not in net.link_by_id[leg.link_id].passages
    d = scenario_result_dict(res)
    assert set(d) >= {"baseline", "scenario", "diff"}


def test_scenario_that_opens_a_line_never_makes_a_route_dearer(real_router):
    sc = parse_scenario(
        {
            "name": "open",
            "changes": {"year": 2030},
            "queries": [{"origin": o, "destination": d} for o, d in PAIRS],
        },
        real_router,
        file="t",
        scenario_id="t",
    )
    for res in run_scenario(real_router, sc):
        assert (
            res.scenario.best_overall.summary.cost_usd
            <= res.baseline.best_overall.summary.cost_usd + 1e-6
        )


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"changes": {}, "queries": [{"origin": "Almaty", "destination": "Mumbai"}]}, "[name]"),
        ({"name": "x", "queries": []}, "[queries]: at least one"),
        (
            {
                "name": "x",
                "changes": {"close": ["no_such_link"]},
                "queries": [{"origin": "Almaty", "destination": "Mumbai"}],
            },
            "[changes.close]: unknown value",
        ),
        (
            {
                "name": "x",
                "changes": {"border_dwell_scale": 0},
                "queries": [{"origin": "Almaty", "destination": "Mumbai"}],
            },
            "[changes.border_dwell_scale]",
        ),
        (
            {
                "name": "x",
                "changes": {"tariff_scale": {"rocket": 2}},
                "queries": [{"origin": "Almaty", "destination": "Mumbai"}],
            },
            "[changes.tariff_scale.rocket]",
        ),
        (
            {
                "name": "x",
                "changes": {"close_passages": ["panama_canal_x"]},
                "queries": [{"origin": "Almaty", "destination": "Mumbai"}],
            },
            "[changes.close_passages]",
        ),
        (
            {
                "name": "x",
                "changes": {"speed": 2},
                "queries": [{"origin": "Almaty", "destination": "Mumbai"}],
            },
            "[changes.speed]: unknown key",
        ),
        (
            {"name": "x", "queries": [{"origin": "Almaty", "destination": "Mumbay"}]},
            "[queries[0].destination]: unknown location",
        ),
        (
            {
                "name": "x",
                "queries": [
                    {"origin": "Almaty", "destination": "Mumbai", "corridors": ["silk_road"]}
                ],
            },
            "[queries[0].corridors]",
        ),
    ],
)
def test_bad_scenarios_say_where_and_why(real_router, doc, expected):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(doc, real_router, file="bad.toml", scenario_id="bad")
    assert f"bad.toml {expected}" in str(info.value)


def test_unreadable_scenario_file(real_router, tmp_path: Path):
    p = tmp_path / "broken.toml"
    p.write_text("name = ")
    with pytest.raises(ScenarioError, match="broken.toml: invalid TOML"):
        load_scenario(p, real_router)


def test_a_scenario_can_name_an_od_grid(real_router):
    sc = parse_scenario(
        {
            "name": "grid",
            "grid": {"origins": ["Almaty", "Tashkent"], "destinations": ["Tehran", "Tashkent"]},
        },
        real_router,
        file="t",
        scenario_id="t",
    )
    assert [(q.origin, q.destination) for q in sc.queries] == [
        ("Almaty", "Tehran"),
        ("Almaty", "Tashkent"),
        ("Tashkent", "Tehran"),
    ]
    with pytest.raises(ScenarioError, match="grid"):
        parse_scenario(
            {"name": "x", "grid": {"origins": []}}, real_router, file="t", scenario_id="t"
        )
