"""Cost, time and emissions parameters, loaded from ``parameters.toml``.

Units: USD (price year in ``[meta]``), hours, km, tonnes, kg CO2e.  Every number carries a
source key (a table's ``source``, overridden per field by ``sources = {field = key}``), so a
route can say which figures it used and where they come from.

Mode keys are ``rail``, ``road``, ``sea_caspian``, ``sea_open`` and ``air``; transfer keys are
the two mode families in alphabetical order joined by ``_`` (``rail_road``, ``rail_sea``...).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

from corridors.errors import DataValidationError, Problem

PARAM_MODES = ("rail", "road", "sea_caspian", "sea_open", "air")
Cargo = Literal["container", "bulk", "perishable"]
CARGO_CLASSES: tuple[Cargo, ...] = get_args(Cargo)
TRANSFER_KEYS = ("rail_road", "rail_sea", "road_sea", "air_road")


@dataclass(frozen=True)
class CargoParams:
    unit: str  # "TEU" or "t"
    tonnes_per_unit: float
    value_of_time_usd_per_unit_h: float
    tariff_multiplier: float
    sources: Mapping[str, str]

    @property
    def per_teu(self) -> bool:
        """True when this class is priced per TEU rather than per tonne."""
        return self.unit == "TEU"


@dataclass(frozen=True)
class ModeParams:
    speed_kmh: float
    cost_usd_per_teu_km: float
    cost_usd_per_t_km: float
    terminal_usd_per_teu: float
    terminal_usd_per_t: float
    terminal_h: float
    co2_kg_per_t_km: float
    sources: Mapping[str, str]


@dataclass(frozen=True)
class TransferParams:
    hours: float
    usd_per_teu: float
    usd_per_t: float
    sources: Mapping[str, str]


@dataclass(frozen=True)
class BorderDefault:
    dwell_h: float
    fee_usd: float
    sources: Mapping[str, str]


@dataclass(frozen=True)
class Parameters:
    price_year: int
    cargo: Mapping[str, CargoParams]
    mode: Mapping[str, ModeParams]
    transfer: Mapping[str, TransferParams]
    gauge_change: TransferParams
    border_default: Mapping[str, BorderDefault]
    frequency_default_per_week: Mapping[str, float]
    frequency_sources: Mapping[str, str]

    def transfer_between(self, family_a: str, family_b: str) -> TransferParams | None:
        """Handling parameters for a change between two mode families (``rail``, ``road``...)."""
        key = "_".join(sorted((family_a, family_b)))
        return self.transfer.get(key)

    def source_keys(self) -> set[str]:
        """Every source key the parameters refer to."""
        keys: set[str] = set(self.frequency_sources.values())
        tables: list[Any] = [*self.cargo.values(), *self.mode.values(), *self.transfer.values()]
        tables += [self.gauge_change, *self.border_default.values()]
        for t in tables:
            keys.update(t.sources.values())
        return keys


def param_mode_key(mode: str, basin: str | None) -> str:
    """The parameters key of a link's mode: sea links split by basin."""
    return f"sea_{basin}" if mode == "sea" else mode


class _Reader:
    """Reads typed numbers out of the TOML tree, collecting problems instead of stopping."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def table(self, root: Mapping[str, Any], path: str) -> Mapping[str, Any]:
        node: Any = root
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                self.problems.append(Problem(self.file, 0, path, "missing table"))
                return {}
            node = node[part]
        if not isinstance(node, Mapping):
            self.problems.append(Problem(self.file, 0, path, "must be a table"))
            return {}
        return node

    def number(self, tbl: Mapping[str, Any], path: str, key: str, *, minimum: float = 0.0) -> float:
        val = tbl.get(key)
        if isinstance(val, bool) or not isinstance(val, int | float):
            self.problems.append(Problem(self.file, 0, f"{path}.{key}", "missing or not a number"))
            return 0.0
        if val < minimum:
            self.problems.append(Problem(self.file, 0, f"{path}.{key}", f"must be >= {minimum}"))
        return float(val)

    def sources(self, tbl: Mapping[str, Any], path: str, names: list[str]) -> dict[str, str]:
        default = tbl.get("source")
        override = tbl.get("sources", {})
        if not isinstance(override, Mapping):
            self.problems.append(
                Problem(self.file, 0, f"{path}.sources", "must be an inline table")
            )
            override = {}
        out: dict[str, str] = {}
        for name in names:
            key = override.get(name, default)
            if not isinstance(key, str) or not key:
                self.problems.append(Problem(self.file, 0, f"{path}.{name}", "no source key"))
                continue
            out[name] = key
        return out

    def record(self, cls: type[Any], tbl: Mapping[str, Any], path: str, **fixed: Any) -> Any:
        names = [f.name for f in fields(cls) if f.name not in fixed and f.name != "sources"]
        values = {n: self.number(tbl, path, n) for n in names}
        return cls(**values, **fixed, sources=self.sources(tbl, path, names))


def _read_cargo(r: _Reader, root: Mapping[str, Any]) -> dict[str, CargoParams]:
    cargo: dict[str, CargoParams] = {}
    for name in CARGO_CLASSES:
        path = f"cargo.{name}"
        tbl = r.table(root, path)
        unit = tbl.get("unit")
        if unit not in ("TEU", "t"):
            r.problems.append(Problem(r.file, 0, f"{path}.unit", "must be 'TEU' or 't'"))
        numbers = {
            "tonnes_per_unit": r.number(tbl, path, "tonnes_per_unit"),
            "value_of_time_usd_per_unit_h": r.number(tbl, path, "value_of_time_usd_per_unit_h"),
        }
        names = list(numbers)
        if "tariff_multiplier" in tbl:
            numbers["tariff_multiplier"] = r.number(tbl, path, "tariff_multiplier")
            names.append("tariff_multiplier")
        cargo[name] = CargoParams(
            unit=str(unit),
            tonnes_per_unit=numbers["tonnes_per_unit"],
            value_of_time_usd_per_unit_h=numbers["value_of_time_usd_per_unit_h"],
            tariff_multiplier=numbers.get("tariff_multiplier", 1.0),
            sources=r.sources(tbl, path, names),
        )
    return cargo


def parse_parameters(root: Mapping[str, Any], file: str = "parameters.toml") -> Parameters:
    """Build :class:`Parameters` from a parsed TOML tree; raise with every problem at once."""
    r = _Reader(file)
    meta = r.table(root, "meta")
    price_year = int(r.number(meta, "meta", "price_year", minimum=1990))
    cargo = _read_cargo(r, root)
    mode = {m: r.record(ModeParams, r.table(root, f"mode.{m}"), f"mode.{m}") for m in PARAM_MODES}
    transfer = {
        k: r.record(TransferParams, r.table(root, f"transfer.{k}"), f"transfer.{k}")
        for k in TRANSFER_KEYS
    }
    gauge = r.record(TransferParams, r.table(root, "gauge_change"), "gauge_change")
    border = {
        m: r.record(BorderDefault, r.table(root, f"border_default.{m}"), f"border_default.{m}")
        for m in ("rail", "road")
    }
    freq_tbl = r.table(root, "frequency_default")
    freq_names = [k for k in ("sea_caspian", "sea_open", "rail") if k in freq_tbl]
    for k in ("sea_caspian", "sea_open"):
        if k not in freq_tbl:
            r.problems.append(Problem(file, 0, f"frequency_default.{k}", "missing"))
    freq = {k: r.number(freq_tbl, "frequency_default", k) for k in freq_names}
    for k, v in freq.items():
        if v <= 0:
            r.problems.append(Problem(file, 0, f"frequency_default.{k}", "must be > 0"))
    freq_sources = r.sources(freq_tbl, "frequency_default", freq_names)
    if r.problems:
        raise DataValidationError(r.problems)
    return Parameters(
        price_year=price_year,
        cargo=cargo,
        mode=mode,
        transfer=transfer,
        gauge_change=gauge,
        border_default=border,
        frequency_default_per_week=freq,
        frequency_sources=freq_sources,
    )


def load_parameters(path: Path) -> Parameters:
    """Read and parse a parameters TOML file."""
    try:
        with path.open("rb") as fh:
            root = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise DataValidationError([Problem(path.name, 0, "", f"invalid TOML: {err}")]) from err
    except OSError as err:
        raise DataValidationError([Problem(path.name, 0, "", f"cannot read: {err}")]) from err
    return parse_parameters(root, path.name)
