"""Scenario sweeps as Dask tasks: one task per scenario file, on the cluster of
:func:`corridors.uncertainty.cluster.dask_client` (a local one by default).

Each worker loads the network of the data directory once (:func:`corridors.api.router`), runs
the scenario's baseline and scenario comparisons and returns their JSON-ready views, the same
views the in-process suite writes (:func:`corridors.views.suite.run_suite`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["scenario_results", "sweep"]


def scenario_results(data_dir: str | None, scenario_path: str) -> list[dict[str, Any]]:
    """The result views of one scenario file (baseline and scenario, per query)."""
    from corridors.api import router
    from corridors.scenarios import load_scenario, run_scenario
    from corridors.views.comparison import scenario_result_dict

    r = router(data_dir)
    sc = load_scenario(Path(scenario_path), r)
    return [scenario_result_dict(x) for x in run_scenario(r, sc)]


def sweep(
    data_dir: str | None, scenario_paths: Sequence[Path], client: Any = None
) -> dict[str, list[dict[str, Any]]]:
    """Every scenario's results by file name, on ``client`` (a Dask client) or here."""
    paths = [str(p) for p in scenario_paths]
    if client is None:
        results = [scenario_results(data_dir, p) for p in paths]
    else:
        futures = client.map(scenario_results, [data_dir] * len(paths), paths, pure=False)
        results = client.gather(futures)
    return {Path(p).name: res for p, res in zip(paths, results, strict=True)}
