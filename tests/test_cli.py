"""The command line, in-process and as the installed console script from another directory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.cli import main
from tests.conftest import TINY


def test_validate_ok_prints_one_line(capsys):
    assert main(["validate", str(TINY)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("valid: 5 locations, 7 links, 2 border crossings")


def test_validate_bad_lists_problems_and_exits_1(tiny_copy, capsys):
    text = (
        (tiny_copy / "links.csv")
        .read_text()
        .replace("rail_alpha_bravo,alpha,", "rail_alpha_bravo,alfa,")
    )
    (tiny_copy / "links.csv").write_text(text)
    assert main(["validate", str(tiny_copy)]) == 1
    err = capsys.readouterr().err
    assert "links.csv:2 [from_id]: unknown location id 'alfa'" in err


def test_info_json_keys(capsys):
    assert main(["--data", str(TINY), "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    for key in (
        "locations",
        "links",
        "links_by_mode",
        "border_crossings",
        "countries",
        "sourced_share",
    ):
        assert key in info
    assert info["links_by_mode"]["rail"] == {"operational": 2, "planned": 1}
    assert info["sourced_share"] == pytest.approx(6 / 7, abs=1e-4)


def test_locations_filter_by_country(capsys):
    assert main(["--data", str(TINY), "locations", "--country", "tm", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == {"charlie", "delta", "echo"}
    assert "modes" in rows[0] and "aliases" in rows[0]


def test_route_json_and_unknown_place(capsys):
    assert main(["--data", str(TINY), "route", "alpha", "delta", "--json"]) == 0
    route = json.loads(capsys.readouterr().out)
    assert route["summary"]["cost_usd"] == pytest.approx(380.0)
    assert {"summary", "legs", "events", "tcd", "provenance", "warnings"} <= set(route)
    assert main(["--data", str(TINY), "route", "alpha", "deltta"]) == 2
    assert "did you mean: delta" in capsys.readouterr().err


def test_route_infeasible_exits_1_naming_the_rule(capsys):
    assert main(["--data", str(TINY), "route", "alpha", "delta", "--max-hours", "5"]) == 1
    assert "max_hours" in capsys.readouterr().err


def test_pareto_table(capsys):
    assert main(["--data", str(TINY), "pareto", "alpha", "echo", "--year", "2030"]) == 0
    assert "non-dominated route(s)" in capsys.readouterr().out


def _installed_script() -> str | None:
    candidate = Path(sys.executable).parent / "corridors"
    return str(candidate) if candidate.exists() else shutil.which("corridors")


@pytest.mark.skipif(_installed_script() is None, reason="corridors is not installed as a command")
def test_installed_command_works_from_another_directory(tmp_path):
    script = _installed_script()
    assert script is not None
    done = subprocess.run(
        [script, "info", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["locations"] >= 150
    done = subprocess.run(
        [script, "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("valid:"), done.stderr


def test_data_option_is_honoured_by_every_command(capsys, tiny_copy):
    """``--data`` chooses the network for validate and refresh-estimates too (it used to be
    ignored: ``corridors --data tests/data/tiny validate`` validated the bundled network)."""
    assert main(["--data", str(TINY), "validate"]) == 0
    assert capsys.readouterr().out.startswith("valid: 5 locations, 7 links")
    (tiny_copy / "links.csv").write_text(
        (tiny_copy / "links.csv")
        .read_text()
        .replace("rail_alpha_bravo,alpha,", "rail_alpha_bravo,alfa,")
    )
    assert main(["--data", str(tiny_copy), "validate"]) == 1
    assert "unknown location id 'alfa'" in capsys.readouterr().err
    main(["--data", str(tiny_copy), "refresh-estimates", "--check"])
    out = capsys.readouterr().out
    assert f"in {tiny_copy}" in out and "rail_alpha_bravo" not in out  # the tiny network's links


def test_route_gates_and_exclusions_from_the_cli(capsys):
    assert main(["--data", str(TINY), "route", "alpha", "delta", "--gate", "TM", "--json"]) == 0
    route = json.loads(capsys.readouterr().out)
    assert "TM" in route["summary"]["countries"]
    assert main(["--data", str(TINY), "route", "alpha", "delta", "--quantity", "nan"]) == 2
    assert "quantity: must be a finite number" in capsys.readouterr().err


def test_compare_ranks_by_generalized_cost_by_default(capsys):
    assert main(["compare", "Tashkent", "Mumbai", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["objective"] == "generalized"
    assert out["value_of_time_usd_per_unit_h"] > 0
    statuses = {c["status"] for c in out["corridors"]}
    assert {"ranked", "not_applicable"} <= statuses


def test_uncertainty_and_breakeven_commands(capsys, tmp_path):
    argv = ["uncertainty", "Tashkent", "Istanbul", "--draws", "100", "--seed", "3"]
    chart = tmp_path / "mc.svg"
    assert main([*argv, "--scheduler", "inprocess", "--json", "--chart", str(chart)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["draws"] == 100 and got["seed"] == 3
    assert sum(c["p_best"] for c in got["corridors"]) == pytest.approx(1.0, abs=1e-3)
    assert chart.read_text().lstrip().startswith("<?xml")
    between = "middle_corridor,iran_turkey_land"
    assert main(["breakeven", "Tashkent", "Istanbul", "--between", between, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["tornado"] and found["breakeven"]
    assert main(["breakeven", "Tashkent", "Istanbul", "--between", between, "--param", "x"]) == 2
    assert "unknown parameter 'x'" in capsys.readouterr().err
    bad = ["uncertainty", "Tashkent", "Istanbul", "--scheduler", "tcp://127.0.0.1:9"]
    assert main(bad) == 1
    assert "no Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
