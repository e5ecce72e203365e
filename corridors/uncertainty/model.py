"""The uncertain inputs, read and checked from ``network_data/uncertainty.toml``.

A factor multiplies a group of the model's figures; its draw is triangular (low, mode, high).
Group names (also the parameter names of break-even searches):

- ``border_dwell:<CC>``: the border dwell of crossings touching country CC (a crossing takes the
  mean of its two countries' factors); countries without their own table use the default;
- ``port_wait:caspian`` / ``port_wait:open``: port calls and the waits for a sailing, by basin;
- ``en_route``: drivers' rest and en-route rail stops;
- ``tariff:<mode key>``: line-haul rates of ``rail``, ``road``, ``sea_caspian``, ``sea_open``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corridors.errors import DataValidationError, Problem
from corridors.model import Network

__all__ = ["Triangular", "UncertaintyModel", "load_uncertainty"]

FILE = "uncertainty.toml"
TARIFF_MODES = ("rail", "road", "sea_caspian", "sea_open")


@dataclass(frozen=True)
class Triangular:
    low: float
    mode: float
    high: float
    source: str

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.high == self.low:
            return np.full(n, self.mode)
        return rng.triangular(self.low, self.mode, self.high, n)


@dataclass(frozen=True)
class UncertaintyModel:
    factors: Mapping[str, Triangular]  # group name -> distribution
    countries: tuple[str, ...]  # countries with a border_dwell factor (all of the network)

    def names(self) -> tuple[str, ...]:
        return tuple(self.factors)

    def with_factors(self, extra: Mapping[str, Triangular]) -> UncertaintyModel:
        """The model with more factors, after its own."""
        return UncertaintyModel({**self.factors, **extra}, self.countries)

    def with_spread(self, scale: float) -> UncertaintyModel:
        """The same model with every spread scaled around its mode (0: deterministic)."""
        return UncertaintyModel(
            {
                k: Triangular(
                    d.mode - scale * (d.mode - d.low),
                    d.mode,
                    d.mode + scale * (d.high - d.mode),
                    d.source,
                )
                for k, d in self.factors.items()
            },
            self.countries,
        )


def _triangle(tbl: Any, path: str, sources: set[str], problems: list[Problem]) -> Triangular | None:
    def bad(reason: str) -> None:
        problems.append(Problem(FILE, 0, path, reason))

    if not isinstance(tbl, Mapping):
        bad("must be a table with low, mode, high, source")
        return None
    values = []
    for key in ("low", "mode", "high"):
        v = tbl.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            bad(f"{key} must be a finite number")
            return None
        values.append(float(v))
    low, mode, high = values
    if not 0 < low <= mode <= high:
        bad(f"need 0 < low <= mode <= high, got {low:g}, {mode:g}, {high:g}")
        return None
    if tbl.get("source") not in sources:
        bad(f"unknown source key {tbl.get('source')!r}")
        return None
    return Triangular(low, mode, high, str(tbl["source"]))


def load_uncertainty(net: Network, path: Path | None = None) -> UncertaintyModel:
    """Read and check the distributions; raise :class:`DataValidationError` listing all problems."""
    path = path or (net.data_dir / FILE if net.data_dir else None)
    if path is None or not path.is_file():
        raise DataValidationError([Problem(FILE, 0, "", "no uncertainty file beside the network")])
    try:
        root = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as err:
        raise DataValidationError([Problem(FILE, 0, "", f"invalid TOML: {err}")]) from err
    problems: list[Problem] = []
    sources = set(net.sources)
    countries = tuple(sorted({loc.country for loc in net.locations.values()}))
    factors: dict[str, Triangular] = {}
    border = root.get("border_dwell", {})
    default = _triangle(border, "border_dwell", sources, problems)
    for cc in countries:
        own = border.get(cc) if isinstance(border, Mapping) else None
        dist = (
            _triangle(own, f"border_dwell.{cc}", sources, problems) if own is not None else default
        )
        if dist is not None:
            factors[f"border_dwell:{cc}"] = dist
    for key in border if isinstance(border, Mapping) else ():
        if isinstance(border[key], Mapping) and key not in countries:
            problems.append(Problem(FILE, 0, f"border_dwell.{key}", "not a country of the network"))
    for basin in ("caspian", "open"):
        dist = _triangle(
            root.get("port_wait", {}).get(basin), f"port_wait.{basin}", sources, problems
        )
        if dist is not None:
            factors[f"port_wait:{basin}"] = dist
    dist = _triangle(root.get("en_route"), "en_route", sources, problems)
    if dist is not None:
        factors["en_route"] = dist
    for mode in TARIFF_MODES:
        dist = _triangle(root.get("tariff", {}).get(mode), f"tariff.{mode}", sources, problems)
        if dist is not None:
            factors[f"tariff:{mode}"] = dist
    unknown = sorted(set(root) - {"border_dwell", "port_wait", "en_route", "tariff"})
    problems += [Problem(FILE, 0, k, "unknown table") for k in unknown]
    if problems:
        raise DataValidationError(problems)
    return UncertaintyModel(factors, countries)


def premium_factors(net: Network, premium_ids: Sequence[str]) -> dict[str, Triangular]:
    """A factor ``premium:<id>`` for each priced premium with a published range: triangular on
    its own value (low/value, 1, high/value); a premium without a range is not drawn."""
    out: dict[str, Triangular] = {}
    for pid in premium_ids:
        p = net.risk.premiums[pid]
        if not p.value or (p.low is None and p.high is None):
            continue
        low, high = (p.value if x is None else x for x in (p.low, p.high))
        if low == high == p.value:
            continue
        out[f"premium:{pid}"] = Triangular(
            min(low, p.value) / p.value, 1.0, max(high, p.value) / p.value, p.sources[0]
        )
    return out
