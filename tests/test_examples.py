"""The Python API: typed results with their exports, and the examples/ scripts, which run here
as a user would run them."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

import corridors
from corridors.results import ComparisonResult, RouteResult

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("0*.py"))


def test_results_keep_the_library_objects_and_export_them() -> None:
    route = corridors.route("Tashkent", "Istanbul", objective="generalized")
    assert isinstance(route, RouteResult)
    assert route.summary.cost_usd > 0 and route.legs  # the route's own attributes
    data = route.to_dict()
    assert data["summary"]["cost_usd"] == pytest.approx(route.summary.cost_usd, abs=0.01)
    assert data["geometry"] == route.to_geojson()
    rows = list(csv.DictReader(io.StringIO(route.to_csv())))
    assert len(rows) == len(route.steps)
    frame = route.to_frame()
    assert list(frame.columns) == list(rows[0]) and len(frame) == len(rows)
    cmp = corridors.compare("Tashkent", "Istanbul")
    assert isinstance(cmp, ComparisonResult) and cmp.best_overall is not None
    assert [r["corridor"] for r in cmp.rows()] == [r.corridor.id for r in cmp.results]
    assert {f["properties"]["route"] for f in cmp.to_geojson()["features"]} >= {"middle_corridor"}
    frontier = corridors.pareto("Tashkent", "Istanbul")
    assert len(frontier.rows()) == len(frontier.points) >= 1
    alts = corridors.alternatives("Tashkent", "Istanbul", k=2)
    assert 1 <= len(alts) <= 2 and alts.to_geojson()["features"]


def test_a_bundled_scenario_runs_by_name() -> None:
    run = corridors.scenario("iran_eaeu_fta")
    assert run.scenario_id == "iran_eaeu_fta" and len(run.rows()) == 2
    with pytest.raises(corridors.errors.ScenarioError, match="cannot read"):
        corridors.scenario("no_such_scenario")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(script: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_walkthrough_renders(tmp_path: Path) -> None:
    out = tmp_path / "walkthrough.md"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "walkthrough.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("```python") == text.count("```text") >= 6  # every cell printed
