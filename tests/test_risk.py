"""Risk and policy: profiles price premiums as separate lines, rules keep routes out of
countries, and bad risk data is refused with file, row and column."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from corridors.data import load_network
from corridors.errors import DataValidationError, InfeasibleError, RequestError, ScenarioError
from corridors.model import Leg, Network
from corridors.request import RouteRequest, objective_value
from corridors.routing import Router
from corridors.scenarios import load_scenario, parse_scenario, run_scenario

MEMBERSHIPS = """country,body,status,since,as_of,source
KZ,TIR,member,1995,2024-01,t_pub
TM,TIR,member,1996,2024-01,t_pub
KZ,OSJD,member,1992,2024-01,t_pub
"""
SANCTIONS = """id,imposed_by,target,scope,affects,summary,since,as_of,source
us_tm,US,TM,comprehensive,finance;shipping,Test regime,2020,2024-01,t_pub
"""
SECURITY = """country,index,value,scale,year,as_of,source
KZ,wgi_pv_percentile,60,0-100,2023,2024-09,t_pub
TM,wgi_pv_percentile,45,0-100,2023,2024-09,t_pub
"""
PREMIUMS = """id,area,kind,basis,value,low,high,as_of,source,notes
caspian_war,caspian,war_risk_cargo,usd_per_teu,500,,,2024-01,t_pub,
tm_sanctions,TM,sanctions_cost,usd_per_teu,40,,,2024-01,t_pub,
tm_zero,TM,sanctions_cost,usd_per_teu,0,,,2024-01,t_pub,
tm_transfer,TM,sanctions_cost,pct_money_transferred,5,3,8,2024-01,t_pub,
hull_only,caspian,war_risk_hull,pct_hull_value_per_transit,0.5,,,2024-01,t_pub,
"""
PROFILES = """
[profiles.shipper]
description = "Test shipper bound by US sanctions"
observes = ["US"]
premiums = ["caspian_war", "tm_sanctions"]
avoid_scopes = ["comprehensive"]

[profiles.payer]
description = "Pays 5 % on money transferred into TM"
premiums = ["tm_transfer"]

[profiles.zero]
description = "Pays only a zero premium"
observes = ["US"]
premiums = ["tm_zero"]
"""


def _write(net_dir: Path, **overrides: str) -> Path:
    risk = net_dir / "risk"
    risk.mkdir(exist_ok=True)
    files = {
        "memberships.csv": MEMBERSHIPS,
        "sanctions.csv": SANCTIONS,
        "security.csv": SECURITY,
        "premiums.csv": PREMIUMS,
        "profiles.toml": PROFILES,
    }
    files.update({k.replace("_", ".", 1): v for k, v in overrides.items()})
    for name, text in files.items():
        (risk / name).write_text(text, encoding="utf-8")
    return net_dir


@pytest.fixture()
def risk_router(tiny_copy: Path) -> Router:
    return Router(load_network(_write(tiny_copy)))


def _req(**kw: object) -> RouteRequest:
    return RouteRequest(origin="alpha", destination="delta", **kw)  # type: ignore[arg-type]


def test_profile_none_prices_nothing_and_matches_a_network_without_risk_data(
    tiny_router: Router, risk_router: Router
) -> None:
    for objective in ("cost", "time", "generalized"):
        plain = tiny_router.route(_req(objective=objective))
        none = risk_router.route(_req(objective=objective))
        assert none.summary.signature == plain.summary.signature
        assert none.summary.cost_usd == pytest.approx(plain.summary.cost_usd)
        assert none.risk == () and none.summary.risk_usd == 0.0


def test_zero_premium_profile_reproduces_todays_answers(risk_router: Router) -> None:
    for objective in ("cost", "generalized"):
        none = risk_router.route(_req(objective=objective))
        zero = risk_router.route(_req(objective=objective, risk_profile="zero"))
        assert zero.summary.signature == none.summary.signature
        assert zero.summary.cost_usd == pytest.approx(none.summary.cost_usd)
        assert zero.summary.risk_usd == 0.0
        assert [x.premium_id for x in zero.risk] == ["tm_zero"]  # charged, at zero


def test_risk_lines_reconcile_with_the_totals(risk_router: Router) -> None:
    none = risk_router.route(_req(modes=("sea",), quantity=3))
    priced = risk_router.route(_req(modes=("sea",), risk_profile="shipper", quantity=3))
    s = priced.summary
    # in travel order: the Caspian leg's war risk, then entering TM at the far port
    assert [(x.premium_id, x.location_id) for x in priced.risk] == [
        ("caspian_war", "alpha"),
        ("tm_sanctions", "delta"),
    ]
    assert s.risk_usd == pytest.approx(3 * (500.0 + 40.0))
    assert s.risk_usd == pytest.approx(sum(x.cost_usd for x in priced.risk))
    assert s.total_usd == pytest.approx(s.cost_usd + s.risk_usd)
    assert s.cost_usd == pytest.approx(none.summary.cost_usd)  # risk never folded into cost
    assert objective_value(priced, "cost", 0.0) == pytest.approx(s.total_usd)
    assert priced.solver.objective_per_unit == pytest.approx(s.total_usd / 3)
    land = risk_router.route(_req(risk_profile="shipper"))
    assert [x.premium_id for x in land.risk] == ["tm_sanctions"]  # at the border, once


def test_money_transferred_is_charged_on_the_goods_and_on_local_charges(
    risk_router: Router,
) -> None:
    net = risk_router.network
    value = net.params.cargo["container"].value_usd_per_unit
    assert value is not None
    route = risk_router.route(_req(modes=("sea",), risk_profile="payer"))
    in_tm = 0.0  # transport charges paid in TM: a leg between countries counts half
    for step in route.steps:
        if isinstance(step, Leg):
            ends = [net.locations[x].country == "TM" for x in (step.from_id, step.to_id)]
            in_tm += step.cost_usd * sum(ends) / 2
        elif net.locations[step.location_id].country == "TM":
            in_tm += step.cost_usd
    by_part = {x.on_charges: x.cost_usd for x in route.risk}
    assert by_part[False] == pytest.approx(0.05 * value)  # the goods, paid into TM
    assert by_part[True] == pytest.approx(0.05 * in_tm)
    assert route.summary.risk_usd == pytest.approx(0.05 * (value + in_tm))
    # a shipment that never enters TM pays nothing
    home = risk_router.route(
        RouteRequest(origin="alpha", destination="bravo", risk_profile="payer")
    )
    assert home.risk == () and home.summary.risk_usd == 0.0


def test_security_score_and_exposure_are_reported(risk_router: Router) -> None:
    route = risk_router.route(_req())
    assert route.summary.risk_score == 55.0  # TM: 100 - 45
    assert [(x.country, x.imposed_by) for x in route.exposure] == [("TM", "US")]


def test_avoid_sanctioned_names_the_rule(risk_router: Router) -> None:
    with pytest.raises(RequestError, match="avoid_sanctioned.*TM is under US comprehensive"):
        risk_router.route(_req(risk_profile="shipper", avoid_sanctioned=True))
    with pytest.raises(RequestError, match="needs a risk profile that observes sanctions"):
        risk_router.route(_req(avoid_sanctioned=True))
    with pytest.raises(RequestError, match="unknown profile 'nobody'.*shipper"):
        risk_router.route(_req(risk_profile="nobody"))


def test_max_risk_score_excludes_countries(risk_router: Router) -> None:
    with pytest.raises(RequestError, match="max_risk_score: TM scores 55"):
        risk_router.route(_req(max_risk_score=50))
    assert risk_router.route(_req(max_risk_score=55)).summary.risk_score == 55.0


def test_transit_regime_keeps_rail_to_cotif_or_osjd_and_road_to_tir(risk_router: Router) -> None:
    # TM is in TIR but in neither COTIF nor OSJD: no rail in TM
    route = risk_router.route(_req(require_transit_regime=True, modes=("rail", "road")))
    assert all(leg.mode == "road" for leg in route.legs if "TM" in leg.countries)
    with pytest.raises(InfeasibleError) as err:
        risk_router.route(_req(require_transit_regime=True, modes=("rail",)))
    assert "require_transit_regime" in err.value.rules


@pytest.mark.parametrize(
    ("file", "text", "where"),
    [
        (
            "premiums_csv",
            PREMIUMS.replace(
                "hull_only,caspian,war_risk_hull,pct_hull_value_per_transit,0.5",
                "hull_only,caspian,war_risk_hull,pct_hull_value_per_transit,150",
            ),
            "risk/premiums.csv:6 [value]: 150 is outside [0, 100] %",
        ),
        (
            "sanctions_csv",
            SANCTIONS.replace("2024-01,t_pub", "2024-01,"),
            "risk/sanctions.csv:2 [source]: required value is empty",
        ),
        (
            "sanctions_csv",
            SANCTIONS.replace("2024-01,t_pub", "soon,t_pub"),
            "risk/sanctions.csv:2 [as_of]",
        ),
        ("security_csv", SECURITY.replace("KZ,wgi", "XX,wgi"), "risk/security.csv:2 [country]"),
        (
            "profiles_toml",
            PROFILES.replace('"tm_zero"]', '"hull_only"]'),
            "basis pct_hull_value_per_transit with value 0.5 is not priced",
        ),
    ],
)
def test_bad_risk_data_is_refused_with_file_row_and_column(
    tiny_copy: Path, file: str, text: str, where: str
) -> None:
    with pytest.raises(DataValidationError) as err:
        load_network(_write(tiny_copy, **{file: text}))
    assert where in str(err.value)


# ---- the bundled network -------------------------------------------------------------------
PAIRS = [
    ("Almaty", "Mumbai"),
    ("Tashkent", "Istanbul"),
    ("Ashgabat", "Mumbai"),
    ("Almaty", "Duisburg"),
    ("Dushanbe", "Bandar Abbas"),
    ("Bishkek", "Moscow"),
]


def test_every_premium_and_regime_has_a_source_and_a_date(real_net: Network) -> None:
    risk = real_net.risk
    dated: list[Any] = [
        *risk.premiums.values(),
        *risk.sanctions,
        *risk.memberships,
        *risk.security.values(),
    ]
    assert dated and all(x.as_of and x.sources for x in dated)
    assert all(k in real_net.sources for x in dated for k in x.sources)
    assert set(risk.security) >= {loc.country for loc in real_net.locations.values()}


@pytest.mark.parametrize("objective", ["cost", "generalized"])
def test_zero_premiums_reproduce_todays_answers_on_the_bundled_network(
    real_net: Network, real_router: Router, objective: str
) -> None:
    risk = real_net.risk
    zeroed = {k: replace(p, value=0.0) if p.priced else p for k, p in risk.premiums.items()}
    net = replace(real_net, risk=replace(risk, premiums=zeroed))
    zero_router = Router(net)
    for a, b in PAIRS:
        today = real_router.route(RouteRequest(a, b, objective=objective))  # type: ignore[arg-type]
        zero = zero_router.route(
            RouteRequest(a, b, objective=objective, risk_profile="western-shipper")  # type: ignore[arg-type]
        )
        assert zero.summary.signature == today.summary.signature
        assert zero.summary.cost_usd == pytest.approx(today.summary.cost_usd)
        assert zero.summary.time_h == pytest.approx(today.summary.time_h)
        assert zero.summary.risk_usd == 0.0
        assert all(x.cost_usd == 0.0 for x in zero.risk)  # charged where due, at zero


def test_a_profile_that_avoids_a_jurisdiction_never_routes_through_it(
    real_router: Router,
) -> None:
    avoided = real_router.risk_exclusions(
        RouteRequest("Almaty", "Mumbai", risk_profile="western-shipper", avoid_sanctioned=True)
    )
    assert {"IR", "RU", "BY"} <= set(avoided)
    for a, b in PAIRS:
        for objective in ("cost", "time", "generalized"):
            req = RouteRequest(
                a,
                b,
                objective=objective,
                risk_profile="western-shipper",
                avoid_sanctioned=True,
            )
            try:
                route = real_router.route(req)
            except RequestError as err:  # the place itself lies in an avoided country
                assert "avoid_sanctioned" in str(err)
                continue
            assert not set(route.summary.countries) & set(avoided), (a, b, objective)


def test_risk_lines_reconcile_on_the_bundled_network(real_router: Router) -> None:
    for a, b in PAIRS:
        route = real_router.route(
            RouteRequest(a, b, objective="generalized", risk_profile="regional-shipper", quantity=2)
        )
        s = route.summary
        assert s.risk_usd == pytest.approx(sum(x.cost_usd for x in route.risk))
        assert s.total_usd == pytest.approx(s.cost_usd + s.risk_usd)
        vot = real_router.value_of_time(RouteRequest(a, b))
        objective = s.total_usd + vot * 2 * s.time_h
        assert route.solver.objective_per_unit == pytest.approx(objective / 2)


def test_war_risk_steers_a_route_off_a_passage(real_router: Router) -> None:
    """A route through Hormuz pays the Gulf premium; priced high enough, it is avoided."""
    req = RouteRequest("Almaty", "Mumbai", objective="generalized")
    base = real_router.route(replace(req, risk_profile="regional-shipper"))
    assert "ormuz" in {x.area for x in base.risk}
    net = real_router.network
    dear = {
        k: replace(p, value=5000.0) if k == "hz_2026_usd_teu_est" else p
        for k, p in net.risk.premiums.items()
    }
    steered = Router(replace(net, risk=replace(net.risk, premiums=dear))).route(
        replace(req, risk_profile="regional-shipper")
    )
    assert "ormuz" not in {x.area for x in steered.risk}
    assert steered.summary.total_usd < base.summary.cost_usd + 5000.0


def test_policy_scenarios_change_what_they_say(real_router: Router) -> None:
    root = Path(__file__).parent.parent / "network_data" / "scenarios"
    relief = load_scenario(root / "sanctions_relief_iran.toml", real_router)
    results = run_scenario(real_router, relief)
    western = [r for r in results if r.query.avoid_sanctioned]
    assert western
    for r in western:  # before: no route through Iran for this shipper; after: one exists
        assert r.baseline.best_through_iran is None
        assert r.scenario.best_through_iran is not None
    regional = [r for r in results if r.query.risk_profile == "regional-shipper"]
    for r in regional:  # the same routes, cheaper money transfers into Iran
        before, after = r.baseline.best_overall, r.scenario.best_overall
        assert before is not None and after is not None
        if "IR" in before.summary.countries:
            assert after.summary.risk_usd < before.summary.risk_usd
    calm = load_scenario(root / "risk_gulf_calm.toml", real_router)
    for r in run_scenario(real_router, calm):
        before, after = r.baseline.best_overall, r.scenario.best_overall
        assert before is not None and after is not None
        assert after.summary.total_usd <= before.summary.total_usd + 1e-6


def test_scenario_risk_keys_are_checked(real_router: Router) -> None:
    root = {
        "name": "bad",
        "changes": {
            "premium_replace": {"hz_2026_usd_teu_est": "hz_2024"},
            "lift_sanctions": ["XX"],
        },
        "queries": [{"origin": "Almaty", "destination": "Mumbai", "risk_profile": "pirate"}],
    }
    with pytest.raises(ScenarioError) as err:
        parse_scenario(root, real_router, file="bad.toml", scenario_id="bad")
    text = str(err.value)
    assert "premium_replace.hz_2024]: not a priced premium id" in text  # evidence-only row
    assert "lift_sanctions]: unknown value 'XX'" in text
    assert "risk_profile]: unknown profile 'pirate'" in text


def test_risk_over_http(real_net: Network) -> None:
    with TestClient(create_app(Settings())) as client:
        listed = client.get("/v1/risk").json()
        assert set(listed["profiles"]) == set(real_net.risk.profiles)
        assert listed["profiles"]["western-shipper"]["avoids"] == ["BY", "IR", "RU"]
        body = {"origin": "Almaty", "destination": "Mumbai", "risk_profile": "regional-shipper"}
        route = client.post("/v1/routes", json=body).json()
        assert route["summary"]["risk_usd"] == pytest.approx(
            sum(x["cost_usd"] for x in route["risk"]), abs=0.05
        )
        assert {x["area"] for x in route["risk"]} >= {"ormuz", "IR"}
        missing = client.post("/v1/routes", json={**body, "risk_profile": "pirate"})
        assert missing.status_code == 404
        assert missing.json()["type"].endswith("profile-not-found")
        conflict = client.post(
            "/v1/routes", json={**body, "risk_profile": "none", "avoid_sanctioned": True}
        )
        assert conflict.status_code == 409
        blocked = client.post(
            "/v1/routes",
            json={**body, "risk_profile": "western-shipper", "avoid_sanctioned": True},
        ).json()
        assert "IR" not in blocked["summary"]["countries"]


def test_assignment_prices_a_profile_within_its_optimality_bounds(real_router: Router) -> None:
    """With a profile's risks added to every edge, the system optimum can neither fall below
    the optimum without risk nor exceed that solution's cost plus its own risk (it is still
    feasible): the LP prices exactly what the routes price."""
    from corridors.params import CARGO_CLASSES
    from corridors.trade.assign import assign_lp
    from corridors.trade.load import demands_from, load_trade
    from corridors.trade.model import COMMODITY_CARGO

    data = load_trade(real_router.network)
    demands = demands_from(data)
    plain = assign_lp(real_router, demands, data.capacities)
    priced = assign_lp(real_router, demands, data.capacities, risk_profile="regional-shipper")
    pricing = real_router.pricing_of("regional-shipper")
    assert pricing is not None
    risk_per_t: dict[str, Any] = {
        c: pricing.usd(c) / real_router.network.params.cargo[c].tonnes_per_unit
        for c in CARGO_CLASSES
    }
    risk_of_plain = sum(  # the risk of the plain optimum's own paths
        (
            p.t_per_yr
            * float(risk_per_t[COMMODITY_CARGO[demands[p.demand].commodity]][list(p.edges)].sum())
            for p in plain.paths
        ),
        0.0,
    )
    assert risk_of_plain > 0
    assert plain.objective_usd < priced.objective_usd <= plain.objective_usd + risk_of_plain + 1.0


def test_matrix_cells_carry_the_risk_the_routes_carry(real_router: Router) -> None:
    from corridors.matrix import od_matrix

    base = RouteRequest(
        "Almaty", "Mumbai", objective="generalized", risk_profile="regional-shipper"
    )
    cells = od_matrix(real_router, ["Almaty", "Tashkent"], ["Mumbai", "Istanbul"], base)
    for cell in cells:
        route = real_router.route(replace(base, origin=cell.origin, destination=cell.destination))
        assert cell.risk_usd == pytest.approx(route.summary.risk_usd, abs=0.01)
        assert cell.cost_usd == pytest.approx(route.summary.cost_usd, abs=0.01)
