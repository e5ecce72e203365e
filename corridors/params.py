"""Cost, time and emissions parameters, loaded from ``parameters.toml``.

Units: USD (price year in ``[meta]``), hours, km, tonnes, kg CO2e.  Every number carries a
source key (a table's ``source``, overridden per field by ``sources = {field = key}``), so a
route can say which figures it used and where they come from.

Mode keys are ``rail``, ``road``, ``sea_caspian``, ``sea_open``, ``sea_roro`` (a ro-ro sailing that
carries road vehicles, in either basin), ``sea_rail_ferry`` (a ferry that carries rail wagons) and
``air``; transfer keys are
the two mode families in alphabetical order joined by ``_`` (``rail_road``, ``rail_sea``...).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from corridors.errors import DataValidationError, Problem

PARAM_MODES = ("rail", "road", "sea_caspian", "sea_open", "sea_roro", "sea_rail_ferry", "air")
Cargo = Literal["container", "container_feu", "bulk", "perishable"]
CARGO_CLASSES: tuple[Cargo, ...] = get_args(Cargo)
UNITS = ("TEU", "FEU", "t")
TRANSFER_KEYS = ("rail_road", "air_road")
TERMINAL_MODES = ("rail", "road", "air")
PORT_CLASSES = (
    "caspian_ferry",
    "roro",
    "rail_ferry",
    "deep_sea_efficient",
    "deep_sea_typical",
    "deep_sea_slow",
)
CREWS = ("single", "team")
BORDER_MODES = ("rail", "road", "air")


@dataclass(frozen=True)
class CargoParams:
    unit: str  # "TEU", "FEU" or "t"
    tonnes_per_unit: float
    value_of_time_usd_per_unit_h: float
    tariff_multiplier: float
    sources: Mapping[str, str]
    # the value of the goods in one unit: prices risk premiums given as % of cargo value
    value_usd_per_unit: float | None = None

    @property
    def is_container(self) -> bool:
        """True for container classes (priced per TEU or FEU); containers never fly."""
        return self.unit in ("TEU", "FEU")


@dataclass(frozen=True)
class UnitRates:
    """Line-haul rates per unit-km: USD per TEU-, FEU- and t-km."""

    cost_usd_per_teu_km: float
    cost_usd_per_feu_km: float
    cost_usd_per_t_km: float

    def rate_usd_per_unit_km(self, unit: str) -> float:
        return {
            "TEU": self.cost_usd_per_teu_km,
            "FEU": self.cost_usd_per_feu_km,
            "t": self.cost_usd_per_t_km,
        }[unit]


@dataclass(frozen=True)
class ModeParams(UnitRates):
    """Line haul of one mode: speed without delay, rates per unit-km, emissions per t-km."""

    speed_kmh: float
    co2_kg_per_t_km: float
    sources: Mapping[str, str]
    # the container rates are all-in through rates that already pay the border stations'
    # customs, agency and forwarding charges: a crossing's fee is not charged again per box
    container_rate_includes_border_fees: bool = False
    # the part of a leg's freight that does not grow with its length (USD per unit and leg)
    fixed_usd_per_teu: float = 0.0
    fixed_usd_per_feu: float = 0.0
    fixed_usd_per_t: float = 0.0

    def fixed_usd_per_unit(self, unit: str) -> float:
        return float(getattr(self, f"fixed_usd_per_{unit.lower()}"))


@dataclass(frozen=True)
class HandlingParams:
    """Hours and USD per unit of one handling step (terminal, transfer, port call, gauge change)."""

    hours: float
    usd_per_teu: float
    usd_per_feu: float
    usd_per_t: float
    sources: Mapping[str, str]

    def usd_per_unit(self, unit: str) -> float:
        return {"TEU": self.usd_per_teu, "FEU": self.usd_per_feu, "t": self.usd_per_t}[unit]


@dataclass(frozen=True)
class BorderFigures:
    """Dwell hours and fee (USD per consignment) at a crossing of one regime and mode."""

    dwell_h: float
    fee_usd: float
    sources: Mapping[str, str]


@dataclass(frozen=True)
class BorderRegime:
    """A customs regime: crossings between two of ``countries`` use these figures by mode."""

    name: str
    countries: frozenset[str]
    by_mode: Mapping[str, BorderFigures]


@dataclass(frozen=True)
class RoadCountry:
    """Road speed without delay and truck rate in one country (CPMM by country)."""

    speed_kmh: float
    usd_per_truck_km: float
    sources: Mapping[str, str]


@dataclass(frozen=True)
class RailCountry(UnitRates):
    """A railway's own published rates in its country (USD per unit-km, all in: wagon, traction
    and infrastructure); countries without one use ``[mode.rail]``."""

    sources: Mapping[str, str]


@dataclass(frozen=True)
class RoadHours:
    """Drivers' hours: driving hours per 24 h for a single driver and a two-driver crew."""

    crew: str
    single_driving_h_per_day: float
    team_driving_h_per_day: float
    truck_payload_t: float
    sources: Mapping[str, str]

    @property
    def driving_h_per_day(self) -> float:
        return self.team_driving_h_per_day if self.crew == "team" else self.single_driving_h_per_day

    @property
    def rest_h_per_driving_h(self) -> float:
        """Hours stopped (rest, breaks) per hour driven, spread over the trip."""
        return 24.0 / self.driving_h_per_day - 1.0


@dataclass(frozen=True)
class SailingWait:
    """Ports where ships sail when loaded rather than to a timetable: a consignment waits for
    space on a sailing.  On a sea link leaving one of ``ports`` (all in ``basin``), this
    measured wait replaces the service wait (half the headway) when it is longer; ``hours`` is
    for the network's own sailings (a scenario with more sailings in the basin divides it)."""

    hours: float
    ports: frozenset[str]
    basin: str
    sources: Mapping[str, str]


@dataclass(frozen=True)
class PortParams:
    """A port's class (its time per call) and its handling charge per call."""

    port_class: str
    handling: HandlingParams


@dataclass(frozen=True)
class Parameters:
    price_year: int
    cargo: Mapping[str, CargoParams]
    mode: Mapping[str, ModeParams]
    terminal: Mapping[str, HandlingParams]  # loading/unloading at origin and destination
    transfer: Mapping[str, HandlingParams]
    port_class: Mapping[str, HandlingParams]  # hours per call by class; default handling
    ports: Mapping[str, PortParams]  # by location id
    port_class_default: Mapping[str, str]  # by basin
    transshipment: HandlingParams
    gauge_change: HandlingParams
    gauge_change_at: Mapping[str, HandlingParams]  # by location id
    border_default: Mapping[str, BorderFigures]  # by mode: external crossings
    border_regimes: tuple[BorderRegime, ...]
    road_country: Mapping[str, RoadCountry]
    road_hours: RoadHours
    rail_speed_with_delay_kmh: Mapping[str, float]  # by country, "default" for the rest
    rail_speed_sources: Mapping[str, str]
    frequency_default_per_week: Mapping[str, float]
    frequency_sources: Mapping[str, str]
    tariff_scale: Mapping[str, float] = field(default_factory=dict)  # by mode key (scenarios)
    rail_country: Mapping[str, RailCountry] = field(default_factory=dict)  # own railway rates
    sailing_wait: SailingWait | None = None  # ports whose ships sail when loaded (optional)

    def transfer_between(self, family_a: str, family_b: str) -> HandlingParams | None:
        """Handling parameters for a change between two land families (``rail``, ``road``...)."""
        key = "_".join(sorted((family_a, family_b)))
        return self.transfer.get(key)

    def port(self, location_id: str, basin: str) -> tuple[str, HandlingParams]:
        """A port's class and its port call: hours from the class, handling from the port."""
        own = self.ports.get(location_id)
        cls = own.port_class if own else self.port_class_default[basin]
        hours = self.port_class[cls]
        handling = own.handling if own else hours
        call = HandlingParams(
            hours.hours,
            handling.usd_per_teu,
            handling.usd_per_feu,
            handling.usd_per_t,
            {**handling.sources, "hours": hours.sources["hours"]},
        )
        return cls, call

    def gauge_change_figures(self, location_id: str) -> HandlingParams:
        return self.gauge_change_at.get(location_id, self.gauge_change)

    def border_figures(
        self, mode: str, country_a: str, country_b: str
    ) -> tuple[str, BorderFigures]:
        """The regime of a crossing between two countries and its figures for ``mode``."""
        for regime in self.border_regimes:
            if country_a in regime.countries and country_b in regime.countries:
                if mode in regime.by_mode:
                    return regime.name, regime.by_mode[mode]
        return "external", self.border_default[mode]

    def rail_speed_with_delay(self, country: str) -> tuple[float, str]:
        key = country if country in self.rail_speed_with_delay_kmh else "default"
        return self.rail_speed_with_delay_kmh[key], self.rail_speed_sources[key]

    def source_keys(self) -> set[str]:
        """Every source key the parameters refer to."""
        keys: set[str] = set(self.frequency_sources.values()) | set(
            self.rail_speed_sources.values()
        )
        tables: list[Any] = [*self.cargo.values(), *self.mode.values(), *self.transfer.values()]
        tables += [*self.terminal.values(), *self.port_class.values(), self.transshipment]
        tables += [self.gauge_change, *self.gauge_change_at.values(), *self.border_default.values()]
        tables += [p.handling for p in self.ports.values()]
        tables += [f for r in self.border_regimes for f in r.by_mode.values()]
        tables += [*self.road_country.values(), self.road_hours, *self.rail_country.values()]
        tables += [self.sailing_wait] if self.sailing_wait else []
        for t in tables:
            keys.update(t.sources.values())
        return keys


def param_mode_key(mode: str, basin: str | None, service: str | None = None) -> str:
    """The parameters key of a link's mode: sea links split by basin, ro-ro sailings and rail
    ferries apart."""
    if mode != "sea":
        return mode
    return f"sea_{service}" if service else f"sea_{basin}"


class _Reader:
    """Reads typed numbers out of the TOML tree, collecting problems instead of stopping."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def bad(self, path: str, reason: str) -> None:
        self.problems.append(Problem(self.file, 0, path, reason))

    def table(self, root: Mapping[str, Any], path: str) -> Mapping[str, Any]:
        node: Any = root
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                self.bad(path, "missing table")
                return {}
            node = node[part]
        if not isinstance(node, Mapping):
            self.bad(path, "must be a table")
            return {}
        return node

    def subtables(self, root: Mapping[str, Any], path: str) -> dict[str, Mapping[str, Any]]:
        """The named sub-tables of an optional table (``[port.aktau]``...)."""
        node = root.get(path, {})
        if not isinstance(node, Mapping) or not all(isinstance(v, Mapping) for v in node.values()):
            self.bad(path, "must be a table of tables")
            return {}
        return dict(node)

    def number(self, tbl: Mapping[str, Any], path: str, key: str, *, minimum: float = 0.0) -> float:
        val = tbl.get(key)
        if isinstance(val, bool) or not isinstance(val, int | float) or val != val:
            self.bad(f"{path}.{key}", "missing or not a number")
            return 0.0
        if val < minimum:
            self.bad(f"{path}.{key}", f"must be >= {minimum}")
        return float(val)

    def sources(self, tbl: Mapping[str, Any], path: str, names: list[str]) -> dict[str, str]:
        default = tbl.get("source")
        override = tbl.get("sources", {})
        if not isinstance(override, Mapping):
            self.bad(f"{path}.sources", "must be an inline table")
            override = {}
        out: dict[str, str] = {}
        for name in names:
            key = override.get(name, default)
            if not isinstance(key, str) or not key:
                self.bad(f"{path}.{name}", "no source key")
                continue
            out[name] = key
        return out

    def record(self, cls: type[Any], tbl: Mapping[str, Any], path: str, **fixed: Any) -> Any:
        names = [
            f.name
            for f in fields(cls)
            if f.name not in fixed and f.name != "sources" and f.type in ("float", float)
        ]
        values = {n: self.number(tbl, path, n) for n in names}
        return cls(**values, **fixed, sources=self.sources(tbl, path, names))


def _read_mode(r: _Reader, root: Mapping[str, Any], m: str) -> ModeParams:
    path = f"mode.{m}"
    tbl = r.table(root, path)
    flag_name = "container_rate_includes_border_fees"
    flag = tbl.get(flag_name, False)
    if not isinstance(flag, bool):
        r.bad(f"{path}.{flag_name}", "must be true or false")
        flag = False
    fixed_names = ("fixed_usd_per_teu", "fixed_usd_per_feu", "fixed_usd_per_t")
    given = [n for n in fixed_names if n in tbl]
    if given and len(given) != len(fixed_names):
        r.bad(f"{path}.fixed_usd_per_teu", f"give all of {', '.join(fixed_names)} or none")
    fixed = {n: r.number(tbl, path, n) if n in tbl else 0.0 for n in fixed_names}
    mode: ModeParams = r.record(ModeParams, tbl, path, **{flag_name: flag}, **fixed)
    optional = ([flag_name] if flag else []) + given  # each needs its own source
    if optional:
        mode = replace(mode, sources={**mode.sources, **r.sources(tbl, path, optional)})
    return mode


def _read_cargo(r: _Reader, root: Mapping[str, Any]) -> dict[str, CargoParams]:
    cargo: dict[str, CargoParams] = {}
    for name in CARGO_CLASSES:
        path = f"cargo.{name}"
        tbl = r.table(root, path)
        unit = tbl.get("unit")
        if unit not in UNITS:
            r.bad(f"{path}.unit", f"must be one of {', '.join(UNITS)}")
        numbers = {
            "tonnes_per_unit": r.number(tbl, path, "tonnes_per_unit"),
            "value_of_time_usd_per_unit_h": r.number(tbl, path, "value_of_time_usd_per_unit_h"),
        }
        names = list(numbers)
        for optional in ("tariff_multiplier", "value_usd_per_unit"):
            if optional in tbl:
                numbers[optional] = r.number(tbl, path, optional)
                names.append(optional)
        cargo[name] = CargoParams(
            unit=str(unit),
            tonnes_per_unit=numbers["tonnes_per_unit"],
            value_of_time_usd_per_unit_h=numbers["value_of_time_usd_per_unit_h"],
            tariff_multiplier=numbers.get("tariff_multiplier", 1.0),
            sources=r.sources(tbl, path, names),
            value_usd_per_unit=numbers.get("value_usd_per_unit"),
        )
    return cargo


def _read_ports(
    r: _Reader, root: Mapping[str, Any]
) -> tuple[dict[str, HandlingParams], dict[str, PortParams], dict[str, str]]:
    classes = {
        c: r.record(HandlingParams, r.table(root, f"port_class.{c}"), f"port_class.{c}")
        for c in PORT_CLASSES
    }
    ports: dict[str, PortParams] = {}
    for loc, tbl in r.subtables(root, "port").items():
        cls = tbl.get("class")
        if cls not in PORT_CLASSES:
            r.bad(f"port.{loc}.class", f"must be one of {', '.join(PORT_CLASSES)}")
            continue
        if "usd_per_teu" in tbl:
            handling = r.record(HandlingParams, {"hours": 0.0, **tbl}, f"port.{loc}")
        else:
            handling = classes[cls]
        ports[loc] = PortParams(cls, handling)
    defaults_tbl = r.table(root, "port_class_default")
    defaults = {}
    for basin in ("caspian", "open"):
        cls = defaults_tbl.get(basin)
        if cls not in PORT_CLASSES:
            r.bad(f"port_class_default.{basin}", f"must be one of {', '.join(PORT_CLASSES)}")
        defaults[basin] = str(cls)
    return classes, ports, defaults


def _read_borders(
    r: _Reader, root: Mapping[str, Any]
) -> tuple[dict[str, BorderFigures], tuple[BorderRegime, ...]]:
    default = {
        m: r.record(BorderFigures, r.table(root, f"border_default.{m}"), f"border_default.{m}")
        for m in BORDER_MODES
    }
    regimes = []
    for name, tbl in r.subtables(root, "border_regime").items():
        countries = tbl.get("countries")
        if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
            r.bad(f"border_regime.{name}.countries", "must be a list of ISO country codes")
            countries = []
        by_mode = {
            m: r.record(BorderFigures, tbl[m], f"border_regime.{name}.{m}")
            for m in BORDER_MODES
            if isinstance(tbl.get(m), Mapping)
        }
        regimes.append(BorderRegime(name, frozenset(countries), by_mode))
    return default, tuple(regimes)


def _read_road(r: _Reader, root: Mapping[str, Any]) -> tuple[dict[str, RoadCountry], RoadHours]:
    countries = {
        cc: r.record(RoadCountry, tbl, f"road_country.{cc}")
        for cc, tbl in r.subtables(root, "road_country").items()
    }
    tbl = r.table(root, "road_hours")
    crew = tbl.get("crew")
    if crew not in CREWS:
        r.bad("road_hours.crew", f"must be one of {', '.join(CREWS)}")
    hours = r.record(RoadHours, tbl, "road_hours", crew=str(crew))
    for name in ("single_driving_h_per_day", "team_driving_h_per_day"):
        if not 0 < getattr(hours, name) <= 24:
            r.bad(f"road_hours.{name}", "must be in (0, 24]")
    return countries, hours


def _read_rail_speeds(
    r: _Reader, root: Mapping[str, Any]
) -> tuple[dict[str, float], dict[str, str]]:
    tbl = r.table(root, "rail_speed_with_delay_kmh")
    names = [k for k in tbl if k not in ("source", "sources", "note")]
    if "default" not in names:
        r.bad("rail_speed_with_delay_kmh.default", "missing")
    speeds = {k: r.number(tbl, "rail_speed_with_delay_kmh", k) for k in names}
    for k, v in speeds.items():
        if v <= 0:
            r.bad(f"rail_speed_with_delay_kmh.{k}", "must be > 0")
    return speeds, r.sources(tbl, "rail_speed_with_delay_kmh", names)


def _read_frequencies(
    r: _Reader, root: Mapping[str, Any]
) -> tuple[dict[str, float], dict[str, str]]:
    freq_tbl = r.table(root, "frequency_default")
    services = ("sea_caspian", "sea_open")  # the scheduled services a shipment waits for
    freq_names = [k for k in services if k in freq_tbl]
    for k in services:
        if k not in freq_tbl:
            r.bad(f"frequency_default.{k}", "missing")
    for k in sorted(freq_tbl.keys() - {*services, "source", "sources", "note"}):
        r.bad(f"frequency_default.{k}", f"no wait is modelled for it (only {', '.join(services)})")
    freq = {k: r.number(freq_tbl, "frequency_default", k) for k in freq_names}
    for k, v in freq.items():
        if v <= 0:
            r.bad(f"frequency_default.{k}", "must be > 0")
    return freq, r.sources(freq_tbl, "frequency_default", freq_names)


def _read_sailing_wait(r: _Reader, root: Mapping[str, Any]) -> SailingWait | None:
    if "sailing_wait" not in root:
        return None
    tbl = r.table(root, "sailing_wait")
    ports = tbl.get("ports")
    if not isinstance(ports, list) or not ports or not all(isinstance(x, str) for x in ports):
        r.bad("sailing_wait.ports", "must be a non-empty list of location ids")
        ports = []
    basin = tbl.get("basin")
    if basin not in ("caspian", "open"):
        r.bad("sailing_wait.basin", "must be caspian or open")
    wait: SailingWait = r.record(
        SailingWait, tbl, "sailing_wait", ports=frozenset(ports), basin=str(basin)
    )
    return wait


def _handling(r: _Reader, root: Mapping[str, Any], path: str) -> HandlingParams:
    result: HandlingParams = r.record(HandlingParams, r.table(root, path), path)
    return result


def parse_parameters(root: Mapping[str, Any], file: str = "parameters.toml") -> Parameters:
    """Build :class:`Parameters` from a parsed TOML tree; raise with every problem at once."""
    r = _Reader(file)
    meta = r.table(root, "meta")
    price_year = int(r.number(meta, "meta", "price_year", minimum=1990))
    cargo = _read_cargo(r, root)
    mode = {m: _read_mode(r, root, m) for m in PARAM_MODES}
    terminal = {m: _handling(r, root, f"terminal.{m}") for m in TERMINAL_MODES}
    transfer = {k: _handling(r, root, f"transfer.{k}") for k in TRANSFER_KEYS}
    port_class, ports, port_default = _read_ports(r, root)
    gauge_at = {
        loc: r.record(HandlingParams, tbl, f"gauge_change_at.{loc}")
        for loc, tbl in r.subtables(root, "gauge_change_at").items()
    }
    border_default, regimes = _read_borders(r, root)
    road_country, road_hours = _read_road(r, root)
    rail_speeds, rail_sources = _read_rail_speeds(r, root)
    freq, freq_sources = _read_frequencies(r, root)
    params = Parameters(
        price_year=price_year,
        cargo=cargo,
        mode=mode,
        terminal=terminal,
        transfer=transfer,
        port_class=port_class,
        ports=ports,
        port_class_default=port_default,
        transshipment=_handling(r, root, "transshipment"),
        gauge_change=_handling(r, root, "gauge_change"),
        gauge_change_at=gauge_at,
        border_default=border_default,
        border_regimes=regimes,
        road_country=road_country,
        road_hours=road_hours,
        rail_speed_with_delay_kmh=rail_speeds,
        rail_speed_sources=rail_sources,
        frequency_default_per_week=freq,
        frequency_sources=freq_sources,
        sailing_wait=_read_sailing_wait(r, root),
        rail_country={
            cc: r.record(RailCountry, tbl, f"rail_country.{cc}")
            for cc, tbl in r.subtables(root, "rail_country").items()
        },
    )
    for m, speed in rail_speeds.items():
        if speed > mode["rail"].speed_kmh:
            r.bad(f"rail_speed_with_delay_kmh.{m}", "must not exceed mode.rail.speed_kmh")
    if r.problems:
        raise DataValidationError(r.problems)
    return params


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
