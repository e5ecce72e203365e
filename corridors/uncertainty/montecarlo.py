"""Monte Carlo over the corridors of one shipment: P10/P50/P90 of time and cost per corridor,
the probability each is best (by the request's objective), on Dask.

The factor draws are made here, from one seed, in the order of the model's factors, so a run
is reproducible whatever the number of workers.  The draws are cut into chunks; each chunk is
one Dask task that evaluates them on the worker's own :class:`Evaluator` (built once per
worker and request, from the same data directory), or here for ``inprocess``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from corridors.errors import NoRouteError, RequestError
from corridors.request import RouteRequest
from corridors.uncertainty.evaluate import Evaluation, Evaluator, uncertainty_model
from corridors.uncertainty.model import UncertaintyModel

__all__ = ["MAX_DRAWS", "CorridorOutcome", "MonteCarloResult", "Spec", "evaluator_for", "run"]

MAX_DRAWS = 20_000
CHUNK_DRAWS = 250
QUANTILES = (10, 50, 90)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Spec:
    """What a worker needs to build the same evaluator: data directory, request, corridors."""

    data_dir: str | None
    request: RouteRequest
    corridor_ids: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def evaluator_for(spec: Spec) -> Evaluator:
    """The evaluator of a spec, built once per process (a Dask worker loads the network once)."""
    from corridors.api import router

    r = router(spec.data_dir)
    return Evaluator(r, spec.request, uncertainty_model(r), spec.corridor_ids)


def _chunk(spec: Spec, names: tuple[str, ...], rows: np.ndarray) -> Evaluation:
    ev = evaluator_for(spec)
    if ev.names != names:
        raise RuntimeError("the worker's uncertainty model differs from the client's")
    return ev.evaluate(rows)


@dataclass(frozen=True)
class CorridorOutcome:
    corridor: str
    name: str
    through_iran: bool
    deterministic: dict[str, float]  # time_h, cost_usd, objective at the model's figures
    time_h: dict[str, float]  # p10, p50, p90, mean
    cost_usd: dict[str, float]
    objective: dict[str, float]
    p_best: float


@dataclass(frozen=True)
class MonteCarloResult:
    request: RouteRequest
    draws: int
    seed: int
    spread: float
    factors: tuple[str, ...]
    outcomes: tuple[CorridorOutcome, ...]  # by probability of being best, then P50 objective
    p_through_iran_best: float
    workers: int  # 0 = in process
    elapsed_s: float
    samples: Evaluation  # every draw, for charts
    columns: tuple[str, ...]  # the corridor of each column of the samples


def draw_factors(model: UncertaintyModel, draws: int, seed: int) -> np.ndarray:
    """Factor values ``(draws, groups)``: one stream per factor, in the model's order."""
    rng = np.random.default_rng(seed)
    return np.column_stack([d.sample(rng, draws) for d in model.factors.values()])


def _stats(x: np.ndarray) -> dict[str, float]:
    p = np.percentile(x, QUANTILES)
    return {f"p{q}": float(v) for q, v in zip(QUANTILES, p, strict=True)} | {
        "mean": float(x.mean())
    }


def _evaluate(
    ev: Evaluator,
    rows: np.ndarray,
    client: Any,
    spec: Spec | None,
    progress: Progress | None,
) -> Evaluation:
    chunks = [rows[i : i + CHUNK_DRAWS] for i in range(0, len(rows), CHUNK_DRAWS)]
    parts: list[Evaluation | None] = [None] * len(chunks)
    if client is None or spec is None:
        for i, chunk in enumerate(chunks):
            parts[i] = ev.evaluate(chunk)
            if progress:
                progress(min((i + 1) * CHUNK_DRAWS, len(rows)), len(rows))
    else:
        from distributed import as_completed

        futures = {
            client.submit(_chunk, spec, ev.names, chunk, pure=False): i
            for i, chunk in enumerate(chunks)
        }
        done = 0
        for future in as_completed(futures):
            parts[futures[future]] = future.result()
            done += len(chunks[futures[future]])
            if progress:
                progress(done, len(rows))
    got = [p for p in parts if p is not None]
    return Evaluation(
        np.vstack([p.time_h for p in got]),
        np.vstack([p.cost_usd for p in got]),
        np.vstack([p.objective for p in got]),
    )


def run(
    ev: Evaluator,
    model: UncertaintyModel,
    *,
    draws: int = 2000,
    seed: int = 0,
    client: Any = None,
    spec: Spec | None = None,
    progress: Progress | None = None,
    max_draws: int = MAX_DRAWS,
    spread: float = 1.0,
) -> MonteCarloResult:
    """Draw the factors, evaluate every corridor per draw, and summarise."""
    if not 1 <= draws <= max_draws:
        raise RequestError(f"draws must be 1..{max_draws}, got {draws}", kind="limit-exceeded")
    if not ev.corridors:
        raise NoRouteError("no corridor has a route for this shipment: nothing to draw")
    if ev.premiums and model.names() != ev.names:  # the profile's premiums, at this spread
        extra = UncertaintyModel(dict(ev.premiums), model.countries).with_spread(spread)
        model = model.with_factors(extra.factors)
    if model.names() != ev.names:
        raise RequestError("the uncertainty model does not match the evaluator's factors")
    started = time.perf_counter()
    rows = draw_factors(model, draws, seed)
    samples = _evaluate(ev, rows, client, spec, progress)
    best = np.argmin(samples.objective, axis=1)  # ties go to the corridor ranked first
    p_best = np.bincount(best, minlength=len(ev.corridors)) / draws
    mode = ev.evaluate(ev.mode_row())
    defs = ev.network.corridors
    outcomes = [
        CorridorOutcome(
            corridor=cid,
            name=defs[cid].name,
            through_iran=defs[cid].through_iran,
            deterministic={
                "time_h": float(mode.time_h[0, j]),
                "cost_usd": float(mode.cost_usd[0, j]),
                "objective": float(mode.objective[0, j]),
            },
            time_h=_stats(samples.time_h[:, j]),
            cost_usd=_stats(samples.cost_usd[:, j]),
            objective=_stats(samples.objective[:, j]),
            p_best=float(p_best[j]),
        )
        for j, cid in enumerate(ev.corridors)
    ]
    outcomes.sort(key=lambda o: (-o.p_best, o.objective["p50"]))
    iran = sum(o.p_best for o in outcomes if o.through_iran)
    workers = 0 if client is None else len(client.scheduler_info().get("workers", {}))
    return MonteCarloResult(
        ev.base,
        draws,
        seed,
        spread,
        ev.names,
        tuple(outcomes),
        float(iran),
        workers,
        round(time.perf_counter() - started, 3),
        samples,
        tuple(ev.corridors),
    )
