"""The capacity-constrained assignment: hand-checked optimum and duals on the tiny network,
column generation against the link-based LP, finite differences, conservation, logit."""

from __future__ import annotations

import pytest

from corridors.errors import RequestError
from corridors.trade.assign import (
    UNSERVED_PENALTY_USD_PER_T,
    assign_link_lp,
    assign_logit,
    assign_lp,
)
from corridors.trade.model import Capacity, Demand

RAIL_BORDER = "border_rail_bravo_charlie"


def _demand(t: float = 1000.0, commodity: str = "container") -> list[Demand]:
    return [Demand("alpha", "delta", commodity, t, "KZ", "TM")]


def _path_costs(tiny_router):
    """Per-tonne generalized cost of the cheapest path and of the cheapest avoiding the rail
    border, from the router itself (the oracle)."""
    from corridors.request import RouteRequest

    cargo = tiny_router.network.params.cargo["container"]
    vot, t_per_teu = cargo.value_of_time_usd_per_unit_h, cargo.tonnes_per_unit

    def gen(req):
        r = tiny_router.route(req)
        return (r.summary.cost_usd + vot * r.summary.time_h) / t_per_teu

    best = gen(RouteRequest("alpha", "delta", objective="generalized"))
    other = gen(
        RouteRequest("alpha", "delta", objective="generalized", exclude_links=(RAIL_BORDER,))
    )
    return best, other


def test_uncapacitated_flow_takes_the_cheapest_path(tiny_router):
    best, _ = _path_costs(tiny_router)
    res = assign_lp(tiny_router, _demand())
    assert res.objective_usd == pytest.approx(1000 * best, rel=1e-9)
    assert sum(p.t_per_yr for p in res.paths) == pytest.approx(1000)


def test_a_binding_capacity_splits_the_flow_and_prices_the_difference(tiny_router):
    best, other = _path_costs(tiny_router)
    cap = [Capacity(RAIL_BORDER, "border", 400.0)]
    res = assign_lp(tiny_router, _demand(), cap)
    assert res.element_flow_t[RAIL_BORDER] == pytest.approx(400)
    assert res.objective_usd == pytest.approx(400 * best + 600 * other, rel=1e-9)
    # one more tonne-year through the border saves (other - best) USD
    assert res.shadow_price_usd_per_t[RAIL_BORDER] == pytest.approx(other - best, rel=1e-6)
    # finite difference: expand by eps, the objective drops by price x eps
    eps = 1.0
    wider = assign_lp(tiny_router, _demand(), [Capacity(RAIL_BORDER, "border", 400.0 + eps)])
    assert res.objective_usd - wider.objective_usd == pytest.approx(
        res.shadow_price_usd_per_t[RAIL_BORDER] * eps, rel=1e-6
    )


def test_column_generation_equals_the_link_based_lp(tiny_router):
    demands = _demand(1000.0) + [Demand("delta", "alpha", "bulk", 300.0, "TM", "KZ")]
    caps = [Capacity(RAIL_BORDER, "border", 500.0), Capacity("alpha", "port", 250.0)]
    cg = assign_lp(tiny_router, demands, caps)
    link = assign_link_lp(tiny_router, demands, caps)
    assert cg.objective_usd == pytest.approx(link.objective_usd, rel=1e-6)
    for name in (RAIL_BORDER, "alpha"):
        assert cg.shadow_price_usd_per_t[name] == pytest.approx(
            link.shadow_price_usd_per_t[name], rel=1e-5, abs=1e-6
        )


def test_flow_is_conserved_and_unserved_demand_is_reported(tiny_router):
    caps = [
        Capacity(RAIL_BORDER, "border", 100.0),
        Capacity("border_road_bravo_charlie", "border", 100.0),
        Capacity("alpha", "port", 100.0),
    ]
    res = assign_lp(tiny_router, _demand(1000.0), caps)
    served = sum(p.t_per_yr for p in res.paths)
    assert served + res.unserved_t[0] == pytest.approx(1000.0)
    assert res.unserved_t[0] == pytest.approx(700.0)
    assert res.objective_usd > 700 * UNSERVED_PENALTY_USD_PER_T
    for name, cap in res.element_capacity_t.items():
        assert res.element_flow_t[name] <= cap + 1e-6


def test_logit_splits_and_respects_capacity_approximately(tiny_router):
    res = assign_logit(tiny_router, _demand(1000.0), [Capacity(RAIL_BORDER, "border", 400.0)])
    assert len(res.paths) >= 2  # not all-or-nothing
    assert sum(p.t_per_yr for p in res.paths) == pytest.approx(1000.0)
    assert res.element_flow_t[RAIL_BORDER] <= 400.0 * 1.1


def test_logit_prices_a_small_capacity_to_its_capacity_not_out_of_use(tiny_router):
    # 1 % of the demand fits through the rail border: the first, unpriced split sends most of
    # it there; the price must settle where the border carries about its capacity, below the
    # cost of the whole trip, instead of jumping far above it and leaving the border unused
    best, other = _path_costs(tiny_router)
    res = assign_logit(tiny_router, _demand(1000.0), [Capacity(RAIL_BORDER, "border", 10.0)])
    assert res.status == "converged"
    assert 5.0 <= res.element_flow_t[RAIL_BORDER] <= 10.0 * 1.05
    assert other - best < res.shadow_price_usd_per_t[RAIL_BORDER] < other


def test_logit_says_when_it_has_not_converged(tiny_router):
    res = assign_logit(
        tiny_router, _demand(1000.0), [Capacity(RAIL_BORDER, "border", 10.0)], iterations=1
    )
    assert res.status == "not converged"
    assert any(RAIL_BORDER in n and "of its capacity" in n for n in res.notes)


def test_bad_input_is_refused(tiny_router):
    with pytest.raises(RequestError, match="no link or crossing"):
        assign_lp(tiny_router, _demand(), [Capacity("nowhere", "border", 1.0)])
    with pytest.raises(RequestError, match="commodity"):
        assign_lp(tiny_router, _demand(commodity="gold"))
    with pytest.raises(RequestError, match="no demand"):
        assign_lp(tiny_router, [])


def test_trade_files_build_demands_split_by_zone_weights(tiny_net):
    from corridors.trade.load import demands_from, load_trade

    data = load_trade(tiny_net)
    demands = demands_from(data)
    exports = [d for d in demands if d.commodity == "container"]
    assert {(d.origin, d.destination): d.t_per_yr for d in exports} == {
        ("alpha", "delta"): pytest.approx(600.0),
        ("alpha", "echo"): pytest.approx(400.0),
    }
    imports = [d for d in demands if d.commodity == "bulk"]
    assert {d.origin for d in imports} == {"delta", "echo"} and {
        d.destination for d in imports
    } == {"alpha"}
    assert data.capacities[0].t_per_yr == 400.0 and data.volumes_t_per_yr[RAIL_BORDER] == 300.0


def test_bad_trade_files_name_file_row_and_field(tiny_net, tmp_path):
    import shutil
    from dataclasses import replace

    from corridors.errors import DataValidationError
    from corridors.trade.load import load_trade

    trade = tmp_path / "trade"
    shutil.copytree(tiny_net.data_dir / "trade", trade)
    (trade / "trade.csv").write_text(
        "reporter,partner,flow,commodity,year,value_usd,t_per_yr,mirror,source,note\n"
        "KZ,XX,export,container,2023,,-5,false,t_pub,\n"
        "KZ,TM,sideways,gold,2023,,5,false,t_nope,\n"
    )
    (trade / "capacities.csv").write_text(
        "element,element_type,t_per_yr,year,volume_t_per_yr,source,note\n"
        "border_rail_bravo_charlie,border,100,2023,300,t_pub,\n"
        "nowhere,furnace,1,2023,,t_pub,\n"
    )
    with pytest.raises(DataValidationError) as info:
        load_trade(replace(tiny_net), trade)
    text = str(info.value)
    for expected in (
        "trade.csv:2 [partner]: unknown zone 'XX'",
        "trade.csv:2 [t_per_yr]: must be a finite number >= 0",
        "trade.csv:3 [flow]",
        "trade.csv:3 [commodity]",
        "trade.csv:3 [source]",
        "capacities.csv:2 [t_per_yr]: capacity 100 is below the published volume 300",
        "capacities.csv:3 [element_type]",
    ):
        assert expected in text, (expected, text)


def test_assign_command_writes_tables_and_a_report(tmp_path, capsys):
    from corridors.cli import main
    from tests.conftest import TINY

    out = tmp_path / "out"
    assert main(["--data", str(TINY), "assign", "--out", str(out)]) == 0
    for name in (
        "assignment.md",
        "assignment.json",
        "elements.csv",
        "iran_shares.csv",
        "iran_shares.png",
    ):
        assert (out / name).is_file(), name
    text = (out / "assignment.md").read_text()
    assert "## lp, capacitated" in text and "## lp, uncapacitated" in text
    assert "border_rail_bravo_charlie" in (out / "elements.csv").read_text()


def test_scenarios_scale_trade_and_capacities(tmp_path, capsys):
    import json

    from corridors.cli import main
    from tests.conftest import TINY

    sc = tmp_path / "sc.toml"
    sc.write_text(
        'name = "x"\n[changes]\ncapacity_scale = { border_rail_bravo_charlie = 2.0 }\n'
        'trade_scale = { "KZ-TM" = 1.5 }\n[[queries]]\norigin = "alpha"\ndestination = "delta"\n'
    )
    assert main(["--data", str(TINY), "assign", "--capacitated-only", "--json"]) == 0
    base = next(iter(json.loads(capsys.readouterr().out).values()))
    assert (
        main(["--data", str(TINY), "assign", "--capacitated-only", "--json", "--scenario", str(sc)])
        == 0
    )
    scen = next(iter(json.loads(capsys.readouterr().out).values()))
    assert scen["demand_t_per_yr"] == pytest.approx(1.5 * base["demand_t_per_yr"])
    (b,), (s,) = base["elements"], scen["elements"]
    assert s["capacity_t_per_yr"] == 2 * b["capacity_t_per_yr"]
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "x"\n[changes]\ntrade_scale = { "KZ-ZZ" = 2 }\n[[queries]]\norigin = "alpha"\ndestination = "delta"\n'
    )
    assert main(["--data", str(TINY), "assign", "--scenario", str(bad)]) == 2
    assert "trade_scale.KZ-ZZ" in capsys.readouterr().err
