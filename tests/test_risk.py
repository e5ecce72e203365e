"""Risk and policy: profiles price premiums as separate lines, rules keep routes out of
countries, and bad risk data is refused with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.data import load_network
from corridors.errors import DataValidationError, InfeasibleError, RequestError
from corridors.model import Leg
from corridors.request import RouteRequest, objective_value
from corridors.routing import Router

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
