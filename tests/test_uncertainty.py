"""Uncertainty: the distributions file, Monte Carlo (zero spread = the deterministic answer,
probabilities, seeds, Dask = in process), break-even confirmed by a scenario, sweeps on Dask."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from corridors.compare import compare
from corridors.errors import DataValidationError, RequestError
from corridors.request import request_from_options
from corridors.routing import Router
from corridors.scenarios import Changes, apply_changes
from corridors.solvers.paths import LayeredPrepared, PreparedGraph
from corridors.solvers.reweight import Reweightable
from corridors.sweep import sweep
from corridors.uncertainty.cluster import ClusterError, dask_client
from corridors.uncertainty.evaluate import Evaluator
from corridors.uncertainty.model import load_uncertainty
from corridors.uncertainty.montecarlo import Spec, evaluator_for, run
from corridors.uncertainty.sensitivity import breakeven, gap, tornado

SHIPMENT = {"origin": "Astana", "destination": "Mundra", "objective": "generalized"}
CASPIAN_VS_SARAKHS = ("instc_west_caspian", "iran_south_sarakhs")


@pytest.fixture(scope="module")
def model(real_router: Router):  # type: ignore[no-untyped-def]
    return load_uncertainty(real_router.network)


@pytest.fixture(scope="module")
def ev(real_router: Router, model) -> Evaluator:  # type: ignore[no-untyped-def]
    return Evaluator(real_router, request_from_options(SHIPMENT), model)


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    """One local Dask cluster (one worker process) for the module's Dask tests."""
    with dask_client("local", workers=1) as c:
        yield c


def _bad_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "uncertainty.toml"
    path.write_text(text)
    return path


def test_bundled_distributions_load_with_sources(model) -> None:  # type: ignore[no-untyped-def]
    assert {"border_dwell:IR", "port_wait:caspian", "en_route", "tariff:rail"} <= set(model.names())
    assert all(0 < d.low <= d.mode <= d.high for d in model.factors.values())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[border_dwell]\nlow = 2.0\nmode = 1.0\nhigh = 3.0\nsource = 'x'\n", "low <= mode"),
        ("[border_dwell]\nlow = -1.0\nmode = 1.0\nhigh = 3.0\nsource = 'x'\n", "0 < low"),
        ("[border_dwell]\nlow = 0.5\nmode = 1.0\nhigh = 3.0\nsource = 'nope'\n", "unknown source"),
        ("[border_dwell.XX]\nlow = 0.5\nmode = 1.0\nhigh = 3.0\n", "not a country"),
        ("[tarif]\n", "unknown table"),
    ],
)
def test_bad_distributions_are_named(
    real_router: Router, tmp_path: Path, text: str, reason: str
) -> None:
    with pytest.raises(DataValidationError) as err:
        load_uncertainty(real_router.network, _bad_file(tmp_path, text))
    assert any(reason in p.reason for p in err.value.problems)


def test_reweightable_matches_the_layered_solver(real_router: Router, ev: Evaluator) -> None:
    rng = np.random.default_rng(5)
    times, costs = ev.factors.figures(rng.uniform(0.5, 2.0, (3, len(ev.names))))
    for c in ev.network.corridors.values():
        req = request_from_options(SHIPMENT | {"gates": [list(g) for g in c.gates]})
        try:
            p = real_router.problem(req)
        except RequestError:
            continue
        for w in costs + 3.0 * times:
            oracle = (
                LayeredPrepared(p.graph, w, p.mask, [s.nodes for s in p.stages])
                if p.stages
                else PreparedGraph(p.graph, w, p.mask)
            ).path(p.source, p.target)
            got = Reweightable(p).path(w)
            assert (got is None) == (oracle is None)
            if got is not None and oracle is not None:
                assert w[got].sum() == pytest.approx(w[oracle].sum(), rel=1e-12)


def test_zero_spread_equals_the_deterministic_comparison(ev: Evaluator, model) -> None:  # type: ignore[no-untyped-def]
    res = run(ev, model.with_spread(0.0), draws=20, seed=1, spread=0.0)
    cmp = {r.corridor.id: r for r in ev.comparison.results if r.route}
    assert {o.corridor for o in res.outcomes} == set(cmp)
    for o in res.outcomes:
        s = cmp[o.corridor].route.summary  # type: ignore[union-attr]
        for q in ("p10", "p50", "p90"):
            assert o.time_h[q] == pytest.approx(s.time_h, rel=1e-9)
            assert o.cost_usd[q] == pytest.approx(s.cost_usd, rel=1e-9)
    ranked = [r.corridor.id for r in ev.comparison.results if r.status == "ranked"]
    assert res.outcomes[0].corridor == ranked[0] and res.outcomes[0].p_best == 1.0


def test_a_risk_profile_counts_in_every_draw(real_router: Router, model) -> None:  # type: ignore[no-untyped-def]
    """At zero spread each corridor's draw costs its transport cost plus its priced risk, and
    the best corridor is the comparison's under the profile."""
    base = request_from_options({**SHIPMENT, "risk_profile": "regional-shipper"})
    priced = Evaluator(real_router, base, model)
    res = run(priced, model.with_spread(0.0), draws=5, seed=1, spread=0.0)
    cmp = {r.corridor.id: r for r in priced.comparison.results if r.route}
    assert any(r.route.summary.risk_usd > 0 for r in cmp.values())  # type: ignore[union-attr]
    for o in res.outcomes:
        s = cmp[o.corridor].route.summary  # type: ignore[union-attr]
        assert o.cost_usd["p50"] == pytest.approx(s.total_usd, rel=1e-9)
    ranked = [r.corridor.id for r in priced.comparison.results if r.status == "ranked"]
    assert res.outcomes[0].corridor == ranked[0]


def test_probabilities_sum_to_one_and_seeds_reproduce(ev: Evaluator, model) -> None:  # type: ignore[no-untyped-def]
    a = run(ev, model, draws=300, seed=7)
    b = run(ev, model, draws=300, seed=7)
    c = run(ev, model, draws=300, seed=8)
    assert sum(o.p_best for o in a.outcomes) == pytest.approx(1.0)
    assert np.array_equal(a.samples.objective, b.samples.objective)
    assert not np.array_equal(a.samples.objective, c.samples.objective)
    for o in a.outcomes:
        assert o.time_h["p10"] <= o.time_h["p50"] <= o.time_h["p90"]
    # a spread widens the distributions: P90 above P10 for every corridor
    assert all(o.cost_usd["p90"] > o.cost_usd["p10"] for o in a.outcomes)


def test_draw_limit_and_unknown_parameter(ev: Evaluator, model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequestError, match="draws must be"):
        run(ev, model, draws=10**7)
    with pytest.raises(RequestError, match="did you mean border_dwell:IR"):
        breakeven(ev, model, "border_dwell:IRR", CASPIAN_VS_SARAKHS)


def test_budgets_and_untracked_objectives_are_refused(real_router: Router, model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequestError, match="budgets"):
        Evaluator(real_router, request_from_options(SHIPMENT | {"max_hours": 900}), model)
    with pytest.raises(RequestError, match="no uncertain inputs"):
        Evaluator(real_router, request_from_options(SHIPMENT | {"objective": "distance"}), model)


def test_breakeven_is_confirmed_by_a_scenario_either_side(
    real_router: Router, ev: Evaluator, model
) -> None:  # type: ignore[no-untyped-def]
    """The Caspian tariff where the trans-Caspian INSTC overtakes Sarakhs, found by bisection,
    is checked with the scenario machinery (a scaled tariff, a new network, a new comparison)."""
    found = breakeven(ev, model, "tariff:sea_caspian", CASPIAN_VS_SARAKHS, low=0.05, high=1.0)
    assert found.value is not None and found.gap_at_low < 0 < found.gap_at_high
    assert abs(found.value - 0.05) > found.tolerance and abs(found.value - 1.0) > found.tolerance

    def ranks_first(scale: float) -> str:
        net = apply_changes(real_router.network, Changes(tariff_scale={"sea_caspian": scale}))
        cmp = compare(Router(net), request_from_options(SHIPMENT), list(CASPIAN_VS_SARAKHS))
        return cmp.results[0].corridor.id

    step = 2 * found.tolerance
    assert ranks_first(found.value - step) == "instc_west_caspian"
    assert ranks_first(found.value + step) == "iran_south_sarakhs"


def test_tornado_orders_by_swing_and_flat_factors_do_not_move(ev: Evaluator, model) -> None:  # type: ignore[no-untyped-def]
    bars = tornado(ev, model, CASPIAN_VS_SARAKHS)
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    # Pakistan's border dwell is on neither route: it cannot move this gap
    pk = next(b for b in bars if b.parameter == "border_dwell:PK")
    assert pk.swing == 0.0
    assert gap(ev, "border_dwell:PK", 2.0, CASPIAN_VS_SARAKHS) == pytest.approx(pk.gap_at_low)


def test_dask_local_cluster_gives_the_in_process_draws(model, client) -> None:  # type: ignore[no-untyped-def]
    spec = Spec(None, request_from_options(SHIPMENT))
    here = run(evaluator_for(spec), model, draws=600, seed=11)
    there = run(evaluator_for(spec), model, draws=600, seed=11, client=client, spec=spec)
    assert there.workers == 1
    assert np.array_equal(here.samples.objective, there.samples.objective)
    assert [o.p_best for o in here.outcomes] == [o.p_best for o in there.outcomes]


SWEEP_SCENARIOS = {
    "sanctions.toml": 'name = "RU, BY closed"\n[changes]\nclose_countries = ["RU", "BY"]\n'
    '[[queries]]\norigin = "Almaty"\ndestination = "Istanbul"\n'
    '[[queries]]\norigin = "Tashkent"\ndestination = "Mumbai"\n',
    "faster_borders.toml": 'name = "KZ, UZ borders halved"\n[changes]\n'
    'border_dwell_scale = 0.5\nborder_countries = ["KZ", "UZ"]\n'
    '[[queries]]\norigin = "Almaty"\ndestination = "Mundra"\n',
}


def test_scenario_sweep_on_dask_equals_in_process(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name, text in SWEEP_SCENARIOS.items():
        (tmp_path / name).write_text(text)
    paths = sorted(tmp_path.glob("*.toml"))
    here = sweep(None, paths)
    there = sweep(None, paths, client)
    assert json.dumps(here, sort_keys=True) == json.dumps(there, sort_keys=True)
    assert [len(here[p.name]) for p in paths] == [1, 2]


def test_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(ClusterError, match="no Dask scheduler at tcp://127.0.0.1:9"):
        with dask_client("tcp://127.0.0.1:9"):
            pass
    with pytest.raises(ClusterError, match="expected 'local'"):
        with dask_client("127.0.0.1:8786"):
            pass


def test_one_crossing_dwell_moves_only_routes_through_it(ev: Evaluator) -> None:
    sarakhs = "crossing:border_rail_sarakhs_serakhs"
    at_mode = gap(ev, sarakhs, 1.0, CASPIAN_VS_SARAKHS)
    # slower at Sarakhs: the Sarakhs corridor loses ground, by its value of time at most
    slower = gap(ev, sarakhs, 2.0, CASPIAN_VS_SARAKHS)
    hours = float(ev.factors.border_h[sarakhs.removeprefix("crossing:")].max())
    assert hours > 0
    assert at_mode - ev.vot * hours - 1e-6 <= slower < at_mode
    pakistan = next(x for x in ev.factors.border_h if "chaman" in x or "torkham" in x)
    assert gap(ev, f"crossing:{pakistan}", 3.0, CASPIAN_VS_SARAKHS) == pytest.approx(at_mode)
    with pytest.raises(RequestError, match="did you mean crossing:border_rail_sarakhs_serakhs"):
        gap(ev, "crossing:border_rail_sarakhs_serakh", 2.0, CASPIAN_VS_SARAKHS)


def test_a_premium_break_even_is_where_the_comparison_flips(real_router: Router, model) -> None:  # type: ignore[no-untyped-def]
    """Gulf war risk at which Bandar Abbas loses to Chabahar for a regional shipper, confirmed
    by re-running the comparison with the premium just below and just above it."""
    from dataclasses import replace

    from corridors.request import objective_value

    base = request_from_options({**SHIPMENT, "risk_profile": "regional-shipper"})
    priced = Evaluator(real_router, base, model)
    pid = "hz_2026_usd_teu_est"
    between = ("iran_south_sarakhs", "chabahar")
    found = breakeven(priced, model, f"premium:{pid}", between, high=5000.0)
    assert found.value is not None and 126.0 < found.value < 5000.0
    net = real_router.network

    def winner(value: float) -> str:
        premiums = {**net.risk.premiums, pid: replace(net.risk.premiums[pid], value=value)}
        router = Router(replace(net, risk=replace(net.risk, premiums=premiums)))
        cmp = compare(router, base, list(between))
        vot = router.value_of_time(base)
        rows = {r.corridor.id: r.route for r in cmp.results if r.route}
        return min(between, key=lambda c: objective_value(rows[c], "generalized", vot))  # type: ignore[arg-type]

    margin = 5 * found.tolerance
    assert winner(found.value - margin) == between[0]
    assert winner(found.value + margin) == between[1]
    with pytest.raises(RequestError, match="not a premium the request's risk profile pays"):
        breakeven(priced, model, "premium:rs_2023_usd_teu_est", between)


def test_premiums_with_a_published_range_are_drawn(real_router: Router, model) -> None:  # type: ignore[no-untyped-def]
    """Every other factor held at its mode, only the profile's premiums vary: routes that pay
    them spread out, a route that pays none does not."""
    base = request_from_options({**SHIPMENT, "risk_profile": "regional-shipper"})
    priced = Evaluator(real_router, base, model)
    assert "premium:hz_2026_usd_teu_est" in priced.names
    res = run(priced, model.with_spread(0.0), draws=400, seed=3, spread=1.0)
    by = {o.corridor: o.cost_usd for o in res.outcomes}
    assert by["iran_south_sarakhs"]["p90"] > by["iran_south_sarakhs"]["p10"]
    assert by["trans_afghan"]["p90"] == pytest.approx(by["trans_afghan"]["p10"])
