"""Columns and types of the network data files.

One :class:`Column` per CSV column: its name, how its cells are parsed and whether it may be
empty.  Lists inside a cell are separated by ``;``.  Extra columns are allowed (analysts keep
comments in them) and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from corridors.countries import COUNTRY_NAMES
from corridors.model import BASINS, GAUGES_MM, LOCATION_KINDS, MODES, SERVICES, STATUSES

CellKind = Literal["str", "slug", "float", "int", "list", "gauges", "country"]
SLUG = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Column:
    name: str
    kind: CellKind = "str"
    required: bool = False
    choices: tuple[Any, ...] = ()


SOURCES = (
    Column("key", "slug", True),
    Column("kind", required=True, choices=("published", "computed", "estimate")),
    Column("title", required=True),
    Column("publisher", required=True),
    Column("url"),
    Column("year", "int"),
    Column("method"),
    Column("factor", "float"),
)

LOCATIONS = (
    Column("id", "slug", True),
    Column("name", required=True),
    Column("aliases", "list"),
    Column("country", "country", True),
    Column("lat", "float", True),
    Column("lon", "float", True),
    Column("kind", required=True, choices=LOCATION_KINDS),
    Column("unlocode"),
    Column("iata"),
    Column("source", "slug", True),
    Column("notes"),
)

LINKS = (
    Column("id", "slug", True),
    Column("from_id", "slug", True),
    Column("to_id", "slug", True),
    Column("mode", required=True, choices=MODES),
    Column("gauge_mm", "int", choices=GAUGES_MM),
    Column("basin", choices=BASINS),
    Column("passages", "list"),
    Column("distance_km", "float", True),
    Column("status", required=True, choices=STATUSES),
    Column("opening_year", "int"),
    Column("speed_kmh", "float"),
    Column("capacity_mt_per_year", "float"),
    Column("frequency_per_week", "float"),
    Column("source", "slug", True),
    Column("attr_source", "slug"),
    Column("notes"),
    Column("service", choices=SERVICES),
)

BORDERS = (
    Column("id", "slug", True),
    Column("from_id", "slug", True),
    Column("to_id", "slug", True),
    Column("mode", required=True, choices=("rail", "road")),
    Column("gauge_mm", "gauges"),
    Column("distance_km", "float", True),
    Column("dwell_h", "float"),
    Column("fee_usd", "float"),
    Column("dwell_h_back", "float"),
    Column("fee_usd_back", "float"),
    Column("dwell_source", "slug"),
    Column("status", required=True, choices=STATUSES),
    Column("opening_year", "int"),
    Column("source", "slug", True),
    Column("notes"),
)


def _slug(text: str) -> str:
    if not SLUG.match(text):
        raise ValueError(f"{text!r} is not a lowercase slug [a-z0-9_]")
    return text


def _country(text: str) -> str:
    if text not in COUNTRY_NAMES:
        raise ValueError(f"unknown country code {text!r}")
    return text


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an integer") from None


def _gauges(text: str) -> tuple[int, ...]:
    try:
        value = tuple(int(p) for p in text.split(";") if p.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a ';'-separated list of gauges in mm") from None
    bad = [g for g in value if g not in GAUGES_MM]
    if bad:
        raise ValueError(f"unknown gauge(s) {bad}; expected one of {GAUGES_MM}")
    return value


def _list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "slug": _slug,
    "country": _country,
    "float": _float,
    "int": _int,
    "list": _list,
    "gauges": _gauges,
}


def parse_cell(col: Column, raw: str) -> Any:
    """Parse one non-empty cell; raise ValueError with a short reason."""
    text = raw.strip()
    value = _PARSERS[col.kind](text)
    if col.choices and value not in col.choices:
        raise ValueError(f"{text!r} is not one of {', '.join(map(str, col.choices))}")
    return value
