"""Parameters: every problem at once, with its path; lookups by place, regime and country."""

from __future__ import annotations

import tomllib

import pytest

from corridors.data import default_data_dir
from corridors.errors import DataValidationError
from corridors.params import parse_parameters


@pytest.fixture(scope="module")
def root():
    return tomllib.loads((default_data_dir() / "parameters.toml").read_text(encoding="utf-8"))


def test_bundled_parameters_parse(root):
    p = parse_parameters(root)
    assert set(p.cargo) == {"container", "container_feu", "bulk", "perishable"}
    assert p.mode["rail"].cost_usd_per_teu_km < p.mode["road"].cost_usd_per_teu_km


def test_every_problem_is_reported_with_its_path(root):
    broken = {**root}
    broken["mode"] = {**root["mode"], "rail": {**root["mode"]["rail"], "speed_kmh": "fast"}}
    broken["road_hours"] = {**root["road_hours"], "crew": "three"}
    broken.pop("transshipment")
    with pytest.raises(DataValidationError) as info:
        parse_parameters(broken)
    text = str(info.value)
    for path in ("mode.rail.speed_kmh", "road_hours.crew", "transshipment"):
        assert path in text


def test_rail_speed_with_delay_cannot_exceed_the_speed_without(root):
    broken = {
        **root,
        "rail_speed_with_delay_kmh": {**root["rail_speed_with_delay_kmh"], "KZ": 80.0},
    }
    with pytest.raises(DataValidationError, match="rail_speed_with_delay_kmh.KZ"):
        parse_parameters(broken)


def test_lookups(root):
    p = parse_parameters(root)
    assert p.port("jebel_ali", "open")[0] == "deep_sea_efficient"
    assert p.port("aktau", "caspian")[0] == "caspian_ferry"
    cls, call = p.port("karachi", "open")
    assert cls == "deep_sea_slow" and call.hours == p.port_class["deep_sea_slow"].hours
    assert p.rail_speed_with_delay("XX")[0] == p.rail_speed_with_delay_kmh["default"]
    assert p.road_hours.rest_h_per_driving_h == pytest.approx(24 / 16.8 - 1)
