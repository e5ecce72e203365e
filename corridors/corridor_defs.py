"""Named corridors from ``corridors.toml``: parsed and checked against the network.

Problems are reported like any data problem (file ``corridors.toml``, the corridor's key and
field as the column, a reason) and stop the network from loading.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Any, cast

from corridors.errors import Problem
from corridors.model import BASINS, MODES, Basin, CorridorDef, Mode

FILE = "corridors.toml"
FIELDS = {
    "name",
    "description",
    "gates",
    "exclude_countries",
    "exclude_basins",
    "modes",
    "through_iran",
    "sources",
}


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) and x for x in value)


def _gate_problems(gates: Any, locations: Set[str], countries: Set[str]) -> list[str]:
    if not isinstance(gates, list) or not all(_strings(g) and g for g in gates):
        return ["must be a list of non-empty lists of location ids or country codes"]
    return [
        f"{entry!r} is neither a location id nor a country in the network"
        for gate in gates
        for entry in gate
        if entry not in locations and entry not in countries
    ]


def _check(
    cid: str,
    tbl: Mapping[str, Any],
    locations: Set[str],
    countries: Set[str],
    sources: Set[str],
    out: list[Problem],
) -> None:
    def bad(column: str, reason: str) -> None:
        out.append(Problem(FILE, 0, f"{cid}.{column}", reason))

    for key in sorted(set(tbl) - FIELDS):
        bad(key, f"unknown field; expected one of {', '.join(sorted(FIELDS))}")
    for key in ("name", "description"):
        if not isinstance(tbl.get(key), str) or not tbl[key]:
            bad(key, "required text is missing")
    for reason in _gate_problems(tbl.get("gates", []), locations, countries):
        bad("gates", reason)
    for key, allowed in (
        ("exclude_countries", countries),
        ("exclude_basins", set(BASINS)),
        ("modes", set(MODES)),
        ("sources", sources),
    ):
        value = tbl.get(key, [])
        if not _strings(value):
            bad(key, "must be a list of strings")
            continue
        for x in value:
            if x not in allowed:
                bad(key, f"unknown value {x!r}")
    if not isinstance(tbl.get("through_iran", False), bool):
        bad("through_iran", "must be true or false")
    if not tbl.get("sources"):
        bad("sources", "a corridor needs at least one source")


def load_corridors(
    path: Path, locations: Set[str], countries: Set[str], sources: Set[str], problems: list[Problem]
) -> dict[str, CorridorDef]:
    """Parse and check corridors.toml; append problems; return the corridors (empty if none)."""
    if not path.is_file():
        return {}
    try:
        root = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as err:
        problems.append(Problem(FILE, 0, "", f"invalid TOML: {err}"))
        return {}
    found: list[Problem] = []
    out: dict[str, CorridorDef] = {}
    for cid, tbl in root.items():
        if not isinstance(tbl, Mapping):
            found.append(Problem(FILE, 0, cid, "must be a table"))
            continue
        _check(cid, tbl, locations, countries, sources, found)
        if any(p.column.startswith(f"{cid}.") for p in found):
            continue
        out[cid] = CorridorDef(
            id=cid,
            name=tbl["name"],
            description=tbl["description"],
            gates=tuple(tuple(g) for g in tbl.get("gates", [])),
            exclude_countries=tuple(tbl.get("exclude_countries", [])),
            # both checked against BASINS and MODES above
            exclude_basins=cast(tuple[Basin, ...], tuple(tbl.get("exclude_basins", []))),
            modes=cast(tuple[Mode, ...], tuple(tbl["modes"])) if "modes" in tbl else None,
            through_iran=bool(tbl.get("through_iran", False)),
            sources=tuple(tbl.get("sources", [])),
        )
    problems.extend(found)
    return out
