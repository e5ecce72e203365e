"""Country polygons and sea-lane lines (corridors.geometry) on the bundled data."""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from corridors import geometry as geo
from corridors.countries import COUNTRY_NAMES
from corridors.data import load_network
from corridors.errors import DataValidationError
from corridors.model import Link

DATA = Path(__file__).resolve().parent.parent / "network_data"

NET = load_network(DATA, check_geometry=True)
# (row, location): the network keeps locations in file order, one per line after the header
LOCATION_ROWS = [(i, loc) for i, loc in enumerate(NET.locations.values(), start=2)]
LOCATIONS = dict(NET.locations)
LINKS = list(NET.links)
SEA_LINKS = [link for link in LINKS if link.mode == "sea"]


@pytest.fixture(scope="module")
def countries() -> geo.Countries:
    return geo.load_countries(DATA)


@pytest.fixture(scope="module")
def sea_lines() -> dict[str, geo.SeaLine]:
    return geo.load_sea_lines(DATA)


def test_every_network_country_has_a_valid_polygon(countries: geo.Countries) -> None:
    missing = sorted(set(COUNTRY_NAMES) - set(countries))
    assert not missing, f"no polygon for {missing}"
    for iso, geom in countries.items():
        assert geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon"), iso


def test_country_polygons_know_some_capitals(countries: geo.Countries) -> None:
    capitals = {
        "IR": (51.39, 35.69),
        "KZ": (71.45, 51.17),
        "TR": (32.85, 39.93),
        "NL": (4.9, 52.37),
    }
    for iso, point in capitals.items():
        assert geo.country_at(countries, point) == iso


def test_every_location_lies_in_its_country(countries: geo.Countries) -> None:
    problems = geo.check_locations_in_countries(LOCATION_ROWS, countries)
    assert not problems, "\n".join(map(str, problems))


def test_a_moved_point_is_reported_with_its_row(countries: geo.Countries) -> None:
    row, tehran = next((r, x) for r, x in LOCATION_ROWS if x.id == "tehran")
    moved = replace(tehran, lat=40.41, lon=49.87)  # Baku
    problems = geo.check_locations_in_countries([(row, moved)], countries)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.row, problem.column) == ("locations.csv", row, "lat/lon")
    assert "tehran" in problem.reason and "outside IR" in problem.reason
    assert "inside AZ" in problem.reason
    km = float(problem.reason.split(" km outside")[0].rsplit(" ", 1)[1])
    assert 50 < km < 300


def test_loading_refuses_a_place_outside_its_country(tmp_path: Path) -> None:
    data = tmp_path / "net"
    shutil.copytree(DATA, data)
    path = data / "locations.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    row = next(i for i, r in enumerate(rows, start=2) if r["id"] == "tehran")
    rows[row - 2].update(lat="40.41", lon="49.87")  # Baku
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataValidationError) as caught:
        load_network(data, check_geometry=True)
    (problem,) = [p for p in caught.value.problems if p.file == "locations.csv"]
    assert (problem.row, problem.column) == (row, "lat/lon") and "inside AZ" in problem.reason


def test_a_point_just_offshore_is_within_the_tolerance(
    countries: geo.Countries,
) -> None:
    row, anzali = next((r, x) for r, x in LOCATION_ROWS if x.id == "bandar_anzali")
    offshore = replace(anzali, lat=37.52, lon=49.46)  # about 3 km off the Anzali waterfront
    assert geo.country_at(countries, (offshore.lon, offshore.lat)) is None
    assert geo.check_locations_in_countries([(row, offshore)], countries) == []
    (problem,) = geo.check_locations_in_countries([(row, offshore)], countries, tolerance_km=0.5)
    assert "outside IR" in problem.reason and "in no country's polygon" in problem.reason


def test_every_sea_link_has_one_line(sea_lines: dict[str, geo.SeaLine]) -> None:
    assert set(sea_lines) == {link.id for link in SEA_LINKS}
    assert {line.method for line in sea_lines.values()} <= set(geo.METHODS)


@pytest.mark.parametrize("link", SEA_LINKS, ids=lambda link: link.id)
def test_sea_line_starts_and_ends_at_its_ports(
    link: Link, sea_lines: dict[str, geo.SeaLine]
) -> None:
    points, method = geo.link_line(link, LOCATIONS, sea_lines)
    assert method == sea_lines[link.id].method
    start, end = LOCATIONS[link.from_id], LOCATIONS[link.to_id]
    assert geo.path_length_km([points[0], (start.lon, start.lat)]) <= geo.END_TOLERANCE_KM
    assert geo.path_length_km([points[-1], (end.lon, end.lat)]) <= geo.END_TOLERANCE_KM


@pytest.mark.parametrize("link", SEA_LINKS, ids=lambda link: link.id)
def test_sea_line_does_not_cross_land(
    link: Link, sea_lines: dict[str, geo.SeaLine], countries: geo.Countries
) -> None:
    crossings = geo.land_crossings(sea_lines[link.id], countries)
    too_long = [c for c in crossings if c[1] > geo.MAX_LAND_CROSSING_KM]
    assert not too_long, f"{link.id} ({link.basin}) crosses land: {too_long}"


def test_check_sea_lines_passes_on_the_bundled_data(
    sea_lines: dict[str, geo.SeaLine], countries: geo.Countries
) -> None:
    assert geo.check_sea_lines(sea_lines, LINKS, LOCATIONS, countries) == []


def test_sea_line_lengths_follow_links_distance(sea_lines: dict[str, geo.SeaLine]) -> None:
    # The lines are searoute paths between the locations' own points; links.csv distances were
    # measured from searoute's port points, which differ for a few cities (Istanbul city vs
    # Ambarli: -17%; Karachi-Mundra: +13%), so the bound is loose.
    report = geo.sea_line_report(sea_lines, SEA_LINKS)
    assert len(report) == len(SEA_LINKS)
    off = [r for r in report if not 0.8 <= r["ratio"] <= 1.2]
    assert not off, off
    close = [r for r in report if 0.97 <= r["ratio"] <= 1.03]
    assert len(close) >= 0.8 * len(report)


def test_a_line_across_land_is_reported(
    sea_lines: dict[str, geo.SeaLine], countries: geo.Countries
) -> None:
    link = next(x for x in SEA_LINKS if x.id == "sea_mersin_jebel_ali")
    a, b = LOCATIONS[link.from_id], LOCATIONS[link.to_id]
    straight = geo.SeaLine([(a.lon, a.lat), (b.lon, b.lat)], method="straight", row=7)
    problems = geo.check_sea_lines({link.id: straight}, [link], LOCATIONS, countries)
    assert problems and all(p.row == 7 and p.column == "coords" for p in problems)
    assert any("crosses" in p.reason and "land in IQ" in p.reason for p in problems)


def test_a_line_off_its_port_is_reported(
    sea_lines: dict[str, geo.SeaLine], countries: geo.Countries
) -> None:
    link = next(x for x in SEA_LINKS if x.id == "sea_kuryk_alat")
    shifted = geo.SeaLine(
        [(x + 0.5, y) for x, y in sea_lines[link.id]], method="searoute", row=sea_lines[link.id].row
    )
    problems = geo.check_sea_lines({link.id: shifted}, [link], LOCATIONS, countries)
    reasons = [p.reason for p in problems]
    assert any("starts" in r and "kuryk" in r for r in reasons)
    assert any("ends" in r and "alat" in r for r in reasons)


def test_link_line_is_oriented_from_the_links_start(sea_lines: dict[str, geo.SeaLine]) -> None:
    link = next(x for x in SEA_LINKS if x.id == "sea_aktau_alat")
    forward, method = geo.link_line(link, LOCATIONS, sea_lines)
    flipped = replace(link, from_id=link.to_id, to_id=link.from_id)
    backward, _ = geo.link_line(flipped, LOCATIONS, sea_lines)
    assert method == "searoute" and backward == forward[::-1]
    rail = next(x for x in LINKS if x.mode == "rail")
    points, method = geo.link_line(rail, LOCATIONS, sea_lines)
    start, end = LOCATIONS[rail.from_id], LOCATIONS[rail.to_id]
    assert method == "straight" and points == [(start.lon, start.lat), (end.lon, end.lat)]


def _write_sea_lines(tmp_path: Path, body: str) -> Path:
    (tmp_path / "geometry").mkdir()
    (tmp_path / "geometry" / "sea_lines.csv").write_text(
        "link_id,method,source,coords\n" + body, encoding="utf-8"
    )
    return tmp_path


def test_a_malformed_sea_line_row_raises_naming_row_and_column(tmp_path: Path) -> None:
    data_dir = _write_sea_lines(
        tmp_path,
        "sea_a,searoute,searoute_marnet,51.0 43.0;50.0 40.0\n"
        "sea_b,searoute,searoute_marnet,51.0 43.0;fifty 40.0\n"
        "sea_c,ferry,searoute_marnet,51.0 43.0;50.0 40.0\n"
        "sea_a,straight,,51.0 43.0;50.0 95.0\n",
    )
    with pytest.raises(DataValidationError) as caught:
        geo.load_sea_lines(data_dir)
    found = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert found == {
        ("geometry/sea_lines.csv", 3, "coords"),
        ("geometry/sea_lines.csv", 4, "method"),
        ("geometry/sea_lines.csv", 5, "link_id"),
        ("geometry/sea_lines.csv", 5, "coords"),
    }
    text = str(caught.value)
    assert "geometry/sea_lines.csv:3 [coords]: point 2 'fifty 40.0' is not two numbers" in text


def test_a_sea_lines_file_without_its_columns_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "geometry").mkdir()
    (tmp_path / "geometry" / "sea_lines.csv").write_text("link_id,coords\nx,1 2;3 4\n")
    with pytest.raises(DataValidationError) as caught:
        geo.load_sea_lines(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (1, "method,source")


def test_route_geojson_sea_legs_follow_sea_lanes(countries: geo.Countries) -> None:
    """Bandar Abbas -> Rotterdam by sea: no leg cuts across Arabia (or any land)."""
    from corridors.geojson import route_geojson
    from corridors.request import RouteRequest
    from corridors.routing import Router

    route = Router(NET).route(RouteRequest("Bandar Abbas", "Rotterdam", modes=("sea",)))
    features = route_geojson(NET, route)["features"]
    assert features and all(f["properties"]["geometry"] == "searoute" for f in features)
    for f in features:
        coords = [(x, y) for x, y in f["geometry"]["coordinates"]]
        start, end = (
            NET.locations[f["properties"]["from_id"]],
            NET.locations[f["properties"]["to_id"]],
        )
        assert geo.path_length_km([coords[0], (start.lon, start.lat)]) <= geo.END_TOLERANCE_KM
        assert geo.path_length_km([coords[-1], (end.lon, end.lat)]) <= geo.END_TOLERANCE_KM
        crossings = geo.land_crossings(coords, countries)
        assert all(km <= geo.MAX_LAND_CROSSING_KM for _, km, _ in crossings), crossings
        assert len(coords) > 2  # a lane, not the straight segment


def test_the_validator_checks_geometry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from corridors.cli import main

    data = tmp_path / "net"
    shutil.copytree(DATA, data)
    text = (data / "geometry" / "sea_lines.csv").read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")[0]
    (data / "geometry" / "sea_lines.csv").write_text(
        text.replace(f"{first},searoute", f"{first},ferry", 1), encoding="utf-8"
    )
    assert main(["validate", str(data)]) == 1
    assert "geometry/sea_lines.csv:2 [method]" in capsys.readouterr().err
