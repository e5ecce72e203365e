"""Calibration against published figures: the file is checked, rows are run, fidelity holds."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from corridors.calibrate import load_calibration, run_calibration, summary
from corridors.data import default_data_dir, load_network
from corridors.errors import DataValidationError
from corridors.routing import Router

# The share of modelled validation rows within their band: issue 9 asks for 0.80, and a change
# that takes the model below it fails CI.  The model reaches 0.81, 39 of 48 (see
# benchmarks/calibration/README.md for the rows that miss and why).
FLOOR = 0.80


@pytest.fixture(scope="module")
def results(real_router):
    return run_calibration(real_router, load_calibration(real_router.network))


def test_validation_rows_stay_within_their_bands(results):
    s = summary(results)
    assert s["modelled"] >= 35
    assert s["share_within"] >= FLOOR, s


def test_rows_that_set_a_parameter_do_not_count_as_validation(results):
    params = [r for r in results if r.row.use == "parameter"]
    assert params and all(r.verdict == "within" for r in params)
    counted = summary(results)["validation_rows"]
    assert counted == sum(1 for r in results if r.row.use == "validation")


def test_every_row_is_modelled_or_says_why(results):
    for r in results:
        assert (r.model is None) == (r.verdict == "not modelled")
        if r.model is None:
            assert r.detail


def test_a_row_on_a_corridor_follows_its_published_route(results):
    # InterRail 2020: Tashkent - Aktau ferry - Alat - Akhalkalaki - Derince on the Middle
    # Corridor, whose gates (Caspian port, Alat by sea, Georgia) lie around the via points
    (row,) = (r for r in results if r.row.id == "ta_tashkent_derince_via_aktau_feu_2020")
    assert row.row.via == ("aktau", "akhalkalaki") and row.row.corridor == "middle_corridor"
    assert row.model is not None and "KZ > AZ > GE > TR" in row.detail


def test_a_tariff_leaves_out_what_its_published_figure_excludes(real_router, results):
    # InterRail 2020 quotes exclude the destination station's fees: the model's terminal
    # charge at the destination is taken off, and only that
    (r,) = (x for x in results if x.row.id == "ta_tashkent_derince_via_aktau_teu_2020")
    assert r.row.excludes == ("destination_terminal",) and "left out" in r.detail
    (whole,) = run_calibration(real_router, [replace(r.row, excludes=())])
    terminal = real_router.network.params.terminal["rail"].usd_per_teu
    assert whole.model is not None and r.model is not None
    assert whole.model - r.model == pytest.approx(terminal)


def test_a_bad_calibration_file_names_file_row_column(tmp_path):
    dest = tmp_path / "net"
    shutil.copytree(default_data_dir(), dest)
    path = dest / "calibration.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = (
        lines[1].replace(",transit_time,", ",transit_tiem,", 1).replace(",xian,", ",xiann,", 1)
    )
    assert lines[2].endswith(",")  # a transit-time row: it cannot leave a charge out
    lines[2] += "destination_terminal"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    net = load_network(dest)
    with pytest.raises(DataValidationError) as info:
        load_calibration(net)
    text = str(info.value)
    assert "calibration.csv:2 [kind]" in text and "calibration.csv:2 [origin]" in text
    assert "calibration.csv:3 [excludes]: only a tariff" in text


def test_the_transit_time_metric_leaves_out_the_end_terminals(real_router, results):
    row = next(r for r in results if r.row.id == "tt_xian_duisburg_northern_2024")
    assert "door to door" in row.detail
    door = float(row.detail.split("door to door ")[1].split(" h")[0].replace(",", ""))
    assert row.model is not None and row.model < door


def test_calibration_runs_on_the_router_it_is_given(real_net):
    rows = load_calibration(real_net)[:3]
    assert len(run_calibration(Router(real_net), rows)) == 3


def test_a_ferry_row_reads_the_sailing_its_cargo_takes(results):
    # Kuryk-Alat has a container sailing and a rail ferry (same ships and speed): a truck or
    # a container row reads the ship containers are lifted onto, not the wagon ferry
    for rid in ("fe_kuryk_alat_ropax_2022", "fe_baku_turkmenbashi_railferry_wiki"):
        (r,) = (x for x in results if x.row.id == rid)
        assert r.detail.split(":")[0] in ("sea_kuryk_alat", "sea_turkmenbashi_alat")
        assert "km/h" in r.detail
