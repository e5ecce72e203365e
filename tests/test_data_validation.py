"""The loader and validator: one broken fixture per rule, each problem located precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.data import load_network
from corridors.errors import DataValidationError


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1))


def _problems(data: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_network(data)
    return [str(p) for p in info.value.problems]


def test_tiny_network_loads(tiny_net):
    assert len(tiny_net.locations) == 5
    assert len(tiny_net.links) == 7
    assert tiny_net.modes_at("delta") == {"rail_1520", "rail_1435", "road", "sea"}


CASES = [
    # (file, old text, new text, expected fragment of the problem)
    (
        "links.csv",
        "rail_alpha_bravo,alpha,",
        "rail_alpha_bravo,alfa,",
        "links.csv:2 [from_id]: unknown location id 'alfa'",
    ),
    (
        "locations.csv",
        "bravo,Bravo,,KZ",
        "alpha,Bravo,,KZ",
        "locations.csv:3 [id]: duplicate id 'alpha'",
    ),
    (
        "locations.csv",
        "40.0,52.0,city,TMDLT",
        "40.0,152.0,city,TMDLT",
        "locations.csv:5 [lon]: 152.0 is outside the study region",
    ),
    (
        "links.csv",
        "rail_alpha_bravo,alpha,bravo,rail,1520",
        "rail_alpha_bravo,alpha,bravo,rail,",
        "links.csv:2 [gauge_mm]: a rail link needs its gauge",
    ),
    (
        "borders.csv",
        "border_road_bravo_charlie,bravo,charlie",
        "border_road_bravo_charlie,bravo,alpha",
        "borders.csv:3 [to_id]: a border crossing must join two countries",
    ),
    (
        "links.csv",
        "road_alpha_bravo,alpha,bravo,road,,,,95",
        "road_alpha_bravo,alpha,bravo,road,,,,30",
        "links.csv:3 [distance_km]: 30 km is implausible for road",
    ),
    (
        "links.csv",
        "road_alpha_bravo,alpha,bravo,road,,,,95",
        "road_alpha_bravo,alpha,bravo,road,,,,900",
        "links.csv:3 [distance_km]: 900 km is implausible for road",
    ),
    (
        "links.csv",
        ",operational,,,,,t_pub,,,\nroad_alpha",
        ",operational,,,,,,,,\nroad_alpha",
        "links.csv:2 [source]: required value is empty",
    ),
    (
        "links.csv",
        "95,operational,,,,,t_pub",
        "95,operational,,,,,t_nowhere",
        "links.csv:3 [source]: unknown source key 't_nowhere'",
    ),
    ("links.csv", "planned,2030", "planned,", "links.csv:8 [opening_year]: a planned line needs"),
    ("links.csv", "planned,2030", "someday,2030", "links.csv:8 [status]: 'someday' is not one of"),
    ("links.csv", "133.5,planned", "150,planned", "estimate 't_est' says great circle x 1.2"),
    (
        "links.csv",
        "road_alpha_bravo,alpha,bravo,road,,,,95",
        "road_alpha_bravo,alpha,bravo,road,,,,9x5",
        "links.csv:3 [distance_km]: '9x5' is not a number",
    ),
    (
        "links.csv",
        "road_charlie_delta,charlie,delta",
        "road_charlie_delta,alpha,delta",
        "road link crosses the KZ-TM border without a border crossing",
    ),
    (
        "locations.csv",
        "echo,Echo,,TM",
        "echo,Echo,,XX",
        "locations.csv:6 [country]: unknown country code 'XX'",
    ),
    (
        "borders.csv",
        "rail,1520,5,10,100,,,t_pub",
        "rail,1520,5,10,100,,,",
        "dwell or fee given without a source",
    ),
    (
        "borders.csv",
        "rail,1520,5,10,100,,,t_pub",
        "rail,1520,5,,100,4,,t_pub",
        "borders.csv:2 [dwell_h_back]: a figure for the way back needs one for the way there",
    ),
    (
        "links.csv",
        "sea_alpha_delta,alpha,delta,sea,,caspian",
        "sea_alpha_delta,alpha,delta,sea,,",
        "links.csv:6 [basin]: a sea link needs its basin",
    ),
    (
        "links.csv",
        "7,t_pub,t_pub",
        "7,t_pub,",
        "speed, capacity or frequency given without a source",
    ),
    ("parameters.toml", "speed_kmh = 30.0\n", "", "parameters.toml [mode.rail.speed_kmh]: missing"),
    (
        "parameters.toml",
        'source = "t_pub"\n\n[cargo.bulk]',
        'source = "t_gone"\n\n[cargo.bulk]',
        "unknown source key 't_gone'",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), CASES)
def test_each_rule_reports_file_row_column_reason(tiny_copy, file, old, new, expected):
    _edit(tiny_copy / file, old, new)
    problems = _problems(tiny_copy)
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_at_once(tiny_copy):
    _edit(tiny_copy / "links.csv", "rail_alpha_bravo,alpha,", "rail_alpha_bravo,alfa,")
    _edit(tiny_copy / "locations.csv", "40.0,52.0,city,TMDLT", "40.0,152.0,city,TMDLT")
    _edit(tiny_copy / "borders.csv", "rail,1520,5", "rail,,5")
    problems = _problems(tiny_copy)
    assert len(problems) >= 3
    assert any("links.csv:2" in p for p in problems)
    assert any("locations.csv:5" in p for p in problems)
    assert any("borders.csv:2 [gauge_mm]" in p for p in problems)


def test_unlinked_location(tiny_copy):
    with (tiny_copy / "locations.csv").open("a") as fh:
        fh.write("foxtrot,Foxtrot,,TM,40.5,52.5,city,,,t_pub,\n")
    problems = _problems(tiny_copy)
    assert any("'foxtrot' has no link or border crossing" in p for p in problems), problems


def test_a_file_that_cannot_be_read_is_the_first_and_only_cause(tiny_copy):
    """A missing column, a missing file or invalid UTF-8 stops loading with that cause alone,
    not with the hundreds of problems that would only follow from it."""
    text = (tiny_copy / "borders.csv").read_text().replace(",dwell_source", ",dwell_src")
    (tiny_copy / "borders.csv").write_text(text)
    problems = _problems(tiny_copy)
    assert problems == ["borders.csv:1 [dwell_source]: missing column(s)"], problems
    (tiny_copy / "sources.csv").unlink()
    (tiny_copy / "links.csv").write_bytes((tiny_copy / "links.csv").read_bytes() + b"\xff\xfe")
    problems = _problems(tiny_copy)
    assert len(problems) == 3 and all("cannot read" in p or "missing column" in p for p in problems)


def test_missing_directory_is_a_clear_error(tmp_path):
    problems = _problems(tmp_path / "nowhere")
    assert "not a directory" in problems[0]


def test_refresh_estimates_repairs_a_moved_location(tiny_copy):
    from corridors.data.estimates import refresh_estimates

    # move echo: the estimated planned rail line delta-echo is now stale and fails validation
    _edit(tiny_copy / "locations.csv", "echo,Echo,,TM,41.0,52.0", "echo,Echo,,TM,41.05,52.0")
    assert any("estimate 't_est'" in p for p in _problems(tiny_copy))
    before = (tiny_copy / "links.csv").read_text()
    changes = refresh_estimates(tiny_copy, write=False)
    assert len(changes) == 1 and changes[0].startswith("links.csv rail_delta_echo: 133.5 -> ")
    assert (tiny_copy / "links.csv").read_text() == before  # --check writes nothing
    refresh_estimates(tiny_copy)
    net = load_network(tiny_copy)
    assert net.link_by_id["rail_delta_echo"].distance_km > 133.5
    assert refresh_estimates(tiny_copy) == []  # idempotent
