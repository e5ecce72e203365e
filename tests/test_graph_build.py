"""The state graph's edge families and the time/cost model they carry (graph/build.py)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from corridors.data import load_network
from corridors.errors import DataValidationError, NoRouteError, RequestError
from corridors.graph.build import build_state_edges
from corridors.graph.states import EdgeKind, family
from corridors.request import RouteRequest
from corridors.routing import Router
from corridors.scenarios import Changes, apply_changes
from corridors.trade.assign import element_edges
from corridors.trade.model import Capacity
from tests.conftest import TINY


def _tiny_with(tmp_path, old: str, new: str, file: str = "parameters.toml"):
    dest = tmp_path / "net"
    shutil.copytree(TINY, dest)
    text = (dest / file).read_text()
    assert old in text
    (dest / file).write_text(text.replace(old, new))
    return Router(load_network(dest))


def test_port_time_is_counted_once_per_call(tiny_router):
    # alpha -> delta by sea only: one port call at each end (8 h, 80 USD), sailing 190/20 h,
    # half the headway of 7 sailings a week; no separate sea terminal on top
    r = tiny_router.route(RouteRequest("alpha", "delta", modes=("sea",)))
    calls = [e for e in r.events if e.kind == "port_handling"]
    assert [e.location_id for e in calls] == ["alpha", "delta"]
    assert r.summary.time_h == pytest.approx(8 + 190 / 20 + 0.5 * 168 / 7 + 8)
    assert r.summary.cost_usd == pytest.approx(80 + 190 * 2 + 80)


def test_every_sea_to_sea_continuation_is_a_priced_transshipment(real_net):
    edges = build_state_edges(real_net)
    through = [e for e in edges if e.tail[1] == "sea_arr" and e.head[1] == "sea"]
    assert through and all(e.kind == EdgeKind.TRANSSHIPMENT for e in through)
    assert all(e.cost_usd("container") > 0 and e.time_h > 0 for e in through)


def test_a_mode_change_never_lands_in_an_arrival_state(real_net):
    for e in build_state_edges(real_net):
        if e.kind == EdgeKind.TRANSFER:
            assert not e.head[1].endswith("_arr")
            assert family(e.tail[1]) != family(e.head[1])


def test_gauge_break_by_rail_only_is_a_gauge_change_not_two_transfers(real_router):
    # Tashkent (1520) to Mashhad (1435) by rail: the break of gauge is at the Iranian border
    r = real_router.route(RouteRequest("Tashkent", "Mashhad", modes=("rail",)))
    kinds = [e.kind for e in r.events]
    assert "gauge_change" in kinds and "transfer" not in kinds
    for objective in ("cost", "time"):
        r = real_router.route(RouteRequest("Almaty", "Xi'an", objective=objective))
        assert "transfer" not in [e.kind for e in r.events if e.location_id == "altynkol"]


def test_gauge_change_time_is_by_place(real_router):
    khorgos = real_router.network.params.gauge_change_figures("altynkol")
    default = real_router.network.params.gauge_change_figures("sarakhs")
    assert khorgos.hours < default.hours


def test_drivers_rest_follows_the_crew(tmp_path):
    # tiny: team crew drives 24 h a day (no rest); a single driver drives 8 h a day, so each
    # hour driven brings 2 hours stopped
    single = _tiny_with(tmp_path, 'crew = "team"', 'crew = "single"')
    r = single.route(RouteRequest("delta", "echo", modes=("road",)))
    rest = [e for e in r.events if e.kind == "en_route"]
    assert rest and rest[0].time_h == pytest.approx(2 * 120 / 50)


def test_rail_en_route_stops_come_from_the_speed_with_delay(tmp_path):
    r = _tiny_with(
        tmp_path,
        "[rail_speed_with_delay_kmh]\ndefault = 30.0",
        "[rail_speed_with_delay_kmh]\ndefault = 15.0",
    )
    route = r.route(RouteRequest("alpha", "bravo", modes=("rail",)))
    stops = [e for e in route.events if e.kind == "en_route"]
    assert stops and stops[0].time_h == pytest.approx(90 / 15 - 90 / 30)


def test_border_regimes_apply_to_crossings_without_their_own_figures(real_net):
    p = real_net.params
    assert p.border_figures("rail", "KZ", "RU")[0] == "eaeu_internal"
    assert p.border_figures("road", "DE", "PL")[1].dwell_h == 0.0
    regime, figures = p.border_figures("rail", "KZ", "TM")
    assert regime == "external" and figures == p.border_default["rail"]
    kz_ru = [b for b in real_net.borders if {b.from_id, b.to_id} == {"mamlyutka", "petukhovo"}]
    edges = [e for e in build_state_edges(real_net) if e.ref == kz_ru[0].id]
    border = edges[0].components[0]
    assert "eaeu_internal" in border.what and not border.default


def _border_fees(router: Router, ref: str) -> dict[str, float]:
    (edge, *_) = (e for e in router.graph.edges if e.ref == ref)
    (border,) = (c for c in edge.components if c.kind == "border")
    return dict(border.usd_per_unit)


def test_an_all_in_container_rate_pays_the_rail_border_fee_once(tiny_router, tmp_path):
    # tiny: the rail crossing's own fee is 100 USD per consignment (10 t for bulk)
    assert _border_fees(tiny_router, "border_rail_bravo_charlie")["container"] == 100.0
    all_in = _tiny_with(
        tmp_path / "all_in",
        'co2_kg_per_t_km = 0.02\nsource = "t_pub"',
        'co2_kg_per_t_km = 0.02\ncontainer_rate_includes_border_fees = true\nsource = "t_pub"',
    )
    fees = _border_fees(all_in, "border_rail_bravo_charlie")
    assert fees["container"] == fees["container_feu"] == 0.0  # paid in the through rate
    assert fees["bulk"] == pytest.approx(100.0 / 10)  # wagonload keeps the fee, per tonne
    assert _border_fees(all_in, "border_road_bravo_charlie")["container"] > 0  # rail only
    with pytest.raises(DataValidationError, match="container_rate_includes_border_fees"):
        _tiny_with(
            tmp_path / "bad",
            'co2_kg_per_t_km = 0.02\nsource = "t_pub"',
            'co2_kg_per_t_km = 0.02\ncontainer_rate_includes_border_fees = "yes"\nsource = "t_pub"',
        )


def test_a_crossing_measured_each_way_takes_its_own_time_each_way(tmp_path):
    # tiny: bravo -> charlie by rail takes 10 h at the border; the way back is measured at 4 h
    dest = tmp_path / "net"
    shutil.copytree(TINY, dest)
    path = dest / "borders.csv"
    text = path.read_text()
    assert "rail,1520,5,10,100,,,t_pub" in text
    path.write_text(text.replace("rail,1520,5,10,100,,,t_pub", "rail,1520,5,10,100,4,,t_pub"))
    r = Router(load_network(dest))

    def border_h(a: str, b: str) -> float:
        route = r.route(RouteRequest(a, b, modes=("rail",)))
        return sum(e.time_h for e in route.events if e.kind == "border")

    assert border_h("bravo", "charlie") == pytest.approx(10.0)
    assert border_h("charlie", "bravo") == pytest.approx(4.0)
    bulk_fees = [  # no back fee given: the fee is the same both ways
        c.usd_per_unit["bulk"]
        for e in r.graph.edges
        if e.ref == "border_rail_bravo_charlie"
        for c in e.components
        if c.kind == "border"
    ]
    assert bulk_fees == [pytest.approx(10.0)] * 2
    scaled = Router(apply_changes(r.network, Changes(border_dwell_scale=2.0)))
    route = scaled.route(RouteRequest("charlie", "bravo", modes=("rail",)))
    assert sum(e.time_h for e in route.events if e.kind == "border") == pytest.approx(8.0)


SEA_RATE = "cost_usd_per_t_km = 0.04\nco2_kg_per_t_km = 0.015"


def test_a_sea_leg_pays_a_fixed_part_and_a_part_per_km(tiny_router, tmp_path):
    # tiny: alpha -> delta, 190 km at 2 USD per TEU-km; a fixed 50 USD per TEU and leg on top
    def haul(r: Router) -> dict[str, float]:
        (edge, *_) = (e for e in r.graph.edges if e.ref == "sea_alpha_delta")
        (c,) = (c for c in edge.components if c.kind == "line_haul")
        return dict(c.usd_per_unit)

    assert haul(tiny_router)["container"] == pytest.approx(190 * 2.0)
    fixed = SEA_RATE + "\nfixed_usd_per_teu = 50.0\nfixed_usd_per_feu = 80.0\nfixed_usd_per_t = 5.0"
    r = _tiny_with(tmp_path / "fixed", SEA_RATE, fixed)
    assert haul(r)["container"] == pytest.approx(50.0 + 190 * 2.0)
    assert haul(r)["container_feu"] == pytest.approx(80.0 + 190 * 2.0)
    assert haul(r)["bulk"] == pytest.approx(5.0 + 190 * 0.04)
    # a scenario's tariff scale reaches the fixed part too
    doubled = Router(apply_changes(r.network, Changes(tariff_scale={"sea_caspian": 2.0})))
    assert haul(doubled)["container"] == pytest.approx(2 * (50.0 + 190 * 2.0))
    with pytest.raises(DataValidationError, match="fixed_usd_per_teu.*or none"):
        _tiny_with(tmp_path / "half", SEA_RATE, SEA_RATE + "\nfixed_usd_per_teu = 50.0")


def test_containers_do_not_fly_and_air_is_opt_in(real_router):
    r = real_router.route(RouteRequest("Almaty", "Dubai", objective="time"))
    assert "air" not in {leg.mode for leg in r.legs}
    with pytest.raises(RequestError, match="containers, which do not fly"):
        real_router.route(RouteRequest("Almaty", "Dubai", modes=("air",)))
    flown = real_router.route(RouteRequest("Almaty", "Dubai", modes=("air",), cargo="bulk"))
    assert flown.summary.border_crossings == 1  # customs on an international air leg
    assert any(e.kind == "border" for e in flown.events)


def test_a_forty_foot_box_is_not_two_twenty_foot_boxes(real_router):
    teu = real_router.route(RouteRequest("Almaty", "Moscow", modes=("rail",)))
    feu = real_router.route(
        RouteRequest("Almaty", "Moscow", modes=("rail",), cargo="container_feu")
    )
    assert teu.summary.cost_usd < feu.summary.cost_usd < 2 * teu.summary.cost_usd


def test_rail_is_cheaper_than_road_per_container_over_distance(real_router):
    rail = real_router.route(RouteRequest("Almaty", "Aktau", modes=("rail",)))
    road = real_router.route(RouteRequest("Almaty", "Aktau", modes=("road",)))
    assert rail.summary.cost_usd < road.summary.cost_usd


def test_year_respects_opening_years_both_ways(real_net, real_router):
    opened_late = [
        lk for lk in real_net.links if lk.status == "operational" and (lk.opening_year or 0) > 2015
    ]
    assert opened_late
    g = real_router.graph
    from corridors.graph.compile import Filters

    mask = g.mask(Filters(year=2015))
    for lk in opened_late:
        assert not mask[g.ref_edges[lk.id]].any()
    assert mask[g.ref_edges[opened_late[0].id]].sum() == 0
    assert g.mask(Filters())[g.ref_edges[opened_late[0].id]].all()


def test_tariff_scale_reaches_every_line_haul_of_its_mode(real_net):
    from dataclasses import replace

    scaled = replace(real_net, params=replace(real_net.params, tariff_scale={"rail": 0.5}))
    base = {(e.ref, e.tail): e for e in build_state_edges(real_net) if e.kind == EdgeKind.LINE_HAUL}
    for e in build_state_edges(scaled):
        if e.kind == EdgeKind.LINE_HAUL:
            ratio = e.cost_usd("container") / base[(e.ref, e.tail)].cost_usd("container")
            assert ratio == pytest.approx(0.5 if e.family == "rail" else 1.0)


SAILING_WAIT = """[sailing_wait]
hours = 30.0
basin = "caspian"
ports = ["alpha"]
source = "t_pub"

[port_class_default]"""


def test_where_ships_sail_when_loaded_the_measured_wait_replaces_half_the_headway(tmp_path):
    r = _tiny_with(tmp_path, "[port_class_default]", SAILING_WAIT)

    def waits(a: str, b: str) -> list[float]:
        route = r.route(RouteRequest(a, b, modes=("sea",)))
        return [e.time_h for e in route.events if e.kind == "service_wait"]

    assert waits("alpha", "delta") == [pytest.approx(30.0)]  # leaving alpha: the measured wait
    assert waits("delta", "alpha") == [pytest.approx(0.5 * 168 / 7)]  # leaving delta: headway
    # a service so rare that half its headway is longer than the measured wait keeps it
    rare = _tiny_with(
        tmp_path / "rare", "[port_class_default]", SAILING_WAIT.replace("30.0", "5.0")
    )
    route = rare.route(RouteRequest("alpha", "delta", modes=("sea",)))
    assert [e.time_h for e in route.events if e.kind == "service_wait"] == [
        pytest.approx(0.5 * 168 / 7)
    ]


def test_more_sailings_shorten_the_wait_for_one(tmp_path):
    r = _tiny_with(tmp_path, "[port_class_default]", SAILING_WAIT)
    changes = Changes(frequency_scale={"sea_caspian": 2.0})
    scenario = Router(apply_changes(r.network, changes))
    route = scenario.route(RouteRequest("alpha", "delta", modes=("sea",)))
    assert [e.time_h for e in route.events if e.kind == "service_wait"] == [pytest.approx(15.0)]


def test_a_sailing_wait_at_an_unknown_port_is_refused(tmp_path):
    with pytest.raises(DataValidationError, match="sailing_wait.ports.*'nowhere'"):
        _tiny_with(tmp_path, "[port_class_default]", SAILING_WAIT.replace('"alpha"', '"nowhere"'))


SEA_LINK = "sea_alpha_delta,alpha,delta,sea,,caspian,,190,operational,,,,7,t_pub,t_pub,,"


# a vehicle ferry alpha -> delta: on board at alpha, wait for the sailing there, off at delta
FERRY_STOPS = [("port_handling", "alpha"), ("service_wait", "alpha"), ("port_handling", "delta")]


def _stops(route) -> list[tuple[str, str]]:
    """A route's events other than its two terminals, as (kind, place)."""
    return [(s.kind, s.location_id) for s in route.events if s.kind != "terminal"]


def test_a_roro_sailing_carries_a_truck_with_its_two_port_calls(tmp_path):
    # tiny: the alpha-delta sailing becomes a ro-ro: a truck drives on (6 h), waits half the
    # headway of 7 sailings a week, sails 190 km at 20 km/h for 2 USD per truck-km, drives off
    r = _tiny_with(tmp_path, SEA_LINK, SEA_LINK + "roro", "links.csv")
    (edge, *_) = (e for e in r.graph.edges if e.ref == "sea_alpha_delta")
    assert (family(edge.tail[1]), family(edge.head[1]), edge.family) == ("road", "road", "sea")
    by_land = ("road_alpha_bravo",)
    route = r.route(RouteRequest("alpha", "delta", modes=("sea", "road"), exclude_links=by_land))
    assert _stops(route) == FERRY_STOPS
    (leg,) = route.legs
    assert (leg.mode, leg.link_id) == ("sea", "sea_alpha_delta")
    terminals = 2 * 2.0  # tiny [terminal.road]: loading and unloading the truck
    assert route.summary.time_h == pytest.approx(terminals + 6 + 0.5 * 168 / 7 + 190 / 20 + 6)
    assert route.summary.cost_usd == pytest.approx(2 * 20.0 + 190 * 2.0)
    # a container on a ship or a train cannot board it: no lift onto a ro-ro
    with pytest.raises(NoRouteError, match="meets modes"):
        r.route(RouteRequest("alpha", "delta", modes=("sea",)))
    by_rail = r.route(RouteRequest("alpha", "delta", modes=("rail", "sea")))
    assert [leg.mode for leg in by_rail.legs] == ["rail", "rail", "rail"]


RAIL_FERRY = SEA_LINK.replace("sea,,caspian", "sea,1520,caspian") + "rail_ferry"


def test_a_rail_ferry_carries_a_wagon_with_its_container_on_board(tmp_path):
    # tiny: the alpha-delta sailing becomes a rail ferry for 1520-mm wagons: the wagon rolls on
    # (5 h), waits half the headway of 7 sailings a week, sails 190 km at 20 km/h for 0.5 USD
    # per TEU-km (1.0 per FEU-km), rolls off; the container is never lifted (no transfer)
    r = _tiny_with(tmp_path, SEA_LINK, RAIL_FERRY, "links.csv")
    (edge, *_) = (e for e in r.graph.edges if e.ref == "sea_alpha_delta")
    # it lands in a node of its own (a free pass leads on), so a gate 'delta@sea' can tell it
    assert (edge.tail[1], edge.head[1], edge.family) == ("rail_1520", "rail_1520_ferry", "sea")
    by_land = ("rail_alpha_bravo",)
    route = r.route(RouteRequest("alpha", "delta", modes=("rail", "sea"), exclude_links=by_land))
    assert _stops(route) == FERRY_STOPS
    assert [(leg.mode, leg.link_id) for leg in route.legs] == [("sea", "sea_alpha_delta")]
    assert route.summary.signature == ("port alpha", "port delta")
    terminals = sum(e.time_h for e in route.events if e.kind == "terminal")
    assert route.summary.time_h - terminals == pytest.approx(5 + 0.5 * 168 / 7 + 190 / 20 + 5)
    terminal_usd = sum(e.cost_usd for e in route.events if e.kind == "terminal")
    assert route.summary.cost_usd - terminal_usd == pytest.approx(190 * 0.5)
    feu = r.route(
        RouteRequest(
            "alpha", "delta", cargo="container_feu", modes=("rail", "sea"), exclude_links=by_land
        )
    )
    feu_terminals = sum(e.cost_usd for e in feu.events if e.kind == "terminal")
    assert feu.summary.cost_usd - feu_terminals == pytest.approx(190 * 1.0)
    # fastest is by land; a gate 'delta@sea' is met by the landing, not by the train by land
    fastest = RouteRequest("alpha", "delta", objective="time", modes=("rail", "sea"))
    assert "sea_alpha_delta" not in [leg.link_id for leg in r.route(fastest).legs]
    landed = r.route(replace(fastest, gates=(("delta@sea",),)))
    assert [leg.link_id for leg in landed.legs] == ["sea_alpha_delta"]
    # neither a lifted container nor a truck boards it
    for modes in (("sea",), ("road", "sea")):
        with pytest.raises(NoRouteError):
            r.route(
                RouteRequest("alpha", "delta", modes=modes, exclude_links=("road_alpha_bravo",))
            )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            SEA_LINK,
            SEA_LINK.replace(",7,", ",,").replace("t_pub,t_pub", "t_pub,") + "roro",
            "roro service needs its own sailings per week",
        ),
        (
            "road_delta_echo,delta,echo,road,,,,120,operational,,,,,t_pub,,,",
            "road_delta_echo,delta,echo,road,,,,120,operational,,,,,t_pub,,,roro",
            "a road link has no service class",
        ),
        (SEA_LINK, SEA_LINK + "ferry", "'ferry' is not one of"),
        (SEA_LINK, SEA_LINK + "rail_ferry", "a rail ferry needs the gauge of the wagons"),
        (SEA_LINK, RAIL_FERRY.replace(",rail_ferry", ","), "a sea link has no gauge"),
    ],
)
def test_a_service_class_is_checked(tmp_path, old, new, problem):
    with pytest.raises(DataValidationError, match=problem):
        _tiny_with(tmp_path, old, new, "links.csv")


def test_a_vehicle_ferry_counts_against_its_ports_capacity(tmp_path):
    # a port's capacity counts ship <-> land moves; a rail ferry's wagons use both its ports
    r = _tiny_with(tmp_path, SEA_LINK, RAIL_FERRY, "links.csv")
    for port in ("alpha", "delta"):
        used = {r.graph.edges[i].ref for i in element_edges(r, Capacity(port, "port", 1.0))}
        assert "sea_alpha_delta" in used
    inland = {r.graph.edges[i].ref for i in element_edges(r, Capacity("bravo", "port", 1.0))}
    assert "sea_alpha_delta" not in inland


RAIL_TM = """[rail_country.TM]
cost_usd_per_teu_km = 0.25
cost_usd_per_feu_km = 0.4
cost_usd_per_t_km = 0.01
source = "t_pub"

[mode.road]"""


def test_a_railway_s_own_rates_price_its_country_s_lines_only(tmp_path):
    # tiny: rail_charlie_delta (85 km) is in TM, rail_alpha_bravo (90 km) in KZ
    r = _tiny_with(tmp_path, "[mode.road]", RAIL_TM)
    edges = {e.ref: e for e in r.graph.edges if e.kind == EdgeKind.LINE_HAUL}
    tm, kz = edges["rail_charlie_delta"], edges["rail_alpha_bravo"]
    assert tm.cost_usd("container") == pytest.approx(85 * 0.25)
    assert tm.cost_usd("container_feu") == pytest.approx(85 * 0.4)
    assert tm.cost_usd("bulk") == pytest.approx(85 * 0.01)
    assert kz.cost_usd("container") == pytest.approx(90 * 1.0)  # [mode.rail]
    # a scenario's rail tariff scale reaches the country's own rates too
    scaled = Router(apply_changes(r.network, Changes(tariff_scale={"rail": 2.0})))
    (tm2,) = (
        e for e in scaled.graph.edges if e.ref == "rail_charlie_delta" and e.tail[0] == "charlie"
    )
    assert tm2.cost_usd("container") == pytest.approx(2 * 85 * 0.25)


def test_a_railway_s_own_rates_need_all_three_and_a_source(tmp_path):
    with pytest.raises(DataValidationError, match=r"rail_country.TM.cost_usd_per_t_km"):
        _tiny_with(tmp_path, "[mode.road]", RAIL_TM.replace("cost_usd_per_t_km = 0.01\n", ""))


def test_a_default_frequency_for_a_service_nobody_waits_for_is_refused(tmp_path):
    # no wait for a train is modelled: a rail frequency would be a figure that changes nothing
    with pytest.raises(DataValidationError, match=r"frequency_default.rail.*no wait is modelled"):
        _tiny_with(tmp_path, "sea_caspian = 3.0", "sea_caspian = 3.0\nrail = 1.0")
