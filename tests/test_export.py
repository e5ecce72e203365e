"""Exports: CSV and Markdown tables, GeoJSON, from the CLI (--format) and the API (format or
Accept); a CSV read back gives the JSON's numbers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from corridors.cli import main


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _same_number(cell: str, value: Any) -> bool:
    if value is None:
        return cell == ""
    return float(cell) == pytest.approx(float(value), rel=1e-12, abs=1e-12)


def test_route_csv_round_trips_to_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("route", "Tashkent", "Istanbul", "--objective", "generalized")
    data = json.loads(_run(capsys, *args, "--format", "json"))
    rows = _csv(_run(capsys, *args, "--format", "csv"))
    steps = sorted([*data["legs"], *data["events"]], key=lambda s: s["seq"])
    assert len(rows) == len(steps)
    for row, step in zip(rows, steps, strict=True):
        assert int(row["seq"]) == step["seq"]
        for key in ("time_h", "cost_usd"):
            assert _same_number(row[key], step[key]), (key, row, step)
        assert _same_number(row["distance_km"], step.get("distance_km", 0.0))
    assert sum(float(r["cost_usd"]) for r in rows) == pytest.approx(
        data["summary"]["cost_usd"], abs=0.01
    )


def test_compare_csv_and_markdown_carry_every_corridor(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("compare", "Almaty", "Mumbai", "--risk-profile", "regional-shipper")
    data = json.loads(_run(capsys, *args, "--json"))
    rows = _csv(_run(capsys, *args, "--format", "csv"))
    assert [r["corridor"] for r in rows] == [c["corridor"] for c in data["corridors"]]
    for row, c in zip(rows, data["corridors"], strict=True):
        summary = c["summary"] or {}
        for key in ("cost_usd", "risk_usd", "total_usd", "time_h", "distance_km"):
            assert _same_number(row[key], summary.get(key)), (key, row)
    md = _run(capsys, *args, "--format", "md").splitlines()
    assert md[0].startswith("| rank | corridor |") and len(md) == len(rows) + 2


def test_geojson_legs_carry_their_route_and_figures(capsys: pytest.CaptureFixture[str]) -> None:
    out = json.loads(_run(capsys, "compare", "Tashkent", "Istanbul", "--format", "geojson"))
    assert out["type"] == "FeatureCollection" and out["features"]
    props = out["features"][0]["properties"]
    assert {"route", "mode", "distance_km", "time_h", "cost_usd", "geometry"} <= set(props)
    routes = {f["properties"]["route"] for f in out["features"]}
    assert "middle_corridor" in routes


def test_a_format_a_result_has_not_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).parent.parent / "network_data" / "scenarios" / "iran_eaeu_fta.toml"
    rows = _csv(_run(capsys, "scenario", "run", str(path), "--format", "csv"))
    assert rows and {"delta_total_usd", "scenario_corridor"} <= set(rows[0])
    assert main(["matrix", "--from", "Almaty", "--to", "Tehran", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| origin |")


def test_export_network_csv_and_geojson(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = _csv(_run(capsys, "export-network", "--format", "csv"))
    assert {r["feature"] for r in rows} == {"link", "border"}
    assert all(r["source"] and r["source_title"] for r in rows)
    assert {r["geometry"] for r in rows if r["mode"] == "sea"} == {"searoute"}
    out = tmp_path / "network.geojson"
    assert main(["export-network", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    links = [f for f in doc["features"] if f["properties"].get("feature") == "link"]
    assert len(links) == len(rows) - sum(r["feature"] == "border" for r in rows)
    assert all(f["properties"]["source_detail"]["title"] for f in links)


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(create_app(Settings())) as c:
        yield c


def test_api_formats_by_parameter_and_accept(client: TestClient) -> None:
    body = {"origin": "Tashkent", "destination": "Istanbul", "objective": "generalized"}
    data = client.post("/v1/routes", json=body).json()
    as_csv = client.post("/v1/routes?format=csv", json=body)
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = _csv(as_csv.text)
    assert sum(float(r["cost_usd"]) for r in rows) == pytest.approx(
        data["summary"]["cost_usd"], abs=0.01
    )
    geo = client.post("/v1/routes", json=body, headers={"Accept": "application/geo+json"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert geo.json() == data["geometry"]
    cmp = client.post("/v1/corridors/compare?format=md", json=body)
    assert cmp.headers["content-type"].startswith("text/markdown")
    assert "| middle_corridor |" in cmp.text.replace("| 1 | middle_corridor", "| middle_corridor")
    matrix = {"origins": ["Almaty"], "destinations": ["Tehran"]}
    refused = client.post("/v1/matrix?format=geojson", json=matrix)
    assert refused.status_code == 422 and "cannot be written as geojson" in refused.json()["detail"]


def test_api_scenario_run_as_csv(client: TestClient) -> None:
    body = {"name": "iran_eaeu_fta"}
    data = client.post("/v1/scenarios/run", json=body).json()
    table = client.post("/v1/scenarios/run?format=csv", json=body)
    assert table.headers["content-type"].startswith("text/csv")
    rows = _csv(table.text)
    assert [r["destination"] for r in rows] == [x["destination"] for x in data["results"]]
    for row, result in zip(rows, data["results"], strict=True):
        assert _same_number(row["scenario_total_usd"], result["scenario"]["best"]["total_usd"])
