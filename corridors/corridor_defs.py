"""Named corridors from ``corridors.toml``: parsed and checked against the network.

Besides the corridors, the file holds ``[regions]`` (named sets of ISO country codes that
markets refer to) and ``[comparison]`` (``max_detour_factor``).  Problems are reported like any
data problem (file ``corridors.toml``, the corridor's key and field as the column, a reason)
and stop the network from loading.
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
    "markets",
}
SPECIAL = ("regions", "comparison")
DEFAULT_DETOUR_FACTOR = 1.5


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) and x for x in value)


def _gate_problems(gates: Any, locations: Set[str], countries: Set[str]) -> list[str]:
    if not isinstance(gates, list) or not all(_strings(g) and g for g in gates):
        return ["must be a list of non-empty lists of location ids or country codes"]
    out = []
    for gate in gates:
        for entry in gate:
            place, _, mode = entry.partition("@")
            if mode and (mode not in ("sea", "port") or place not in locations):
                out.append(
                    f"{entry!r}: '@sea' (reached by ship) or '@port' (by ship, or the shipment "
                    "starts or ends there) follows a location id"
                )
            elif place not in locations and place not in countries:
                out.append(f"{entry!r} is neither a location id nor a country in the network")
    return out


def _region(
    name: str, regions: Mapping[str, frozenset[str]], countries: Set[str]
) -> frozenset[str] | None:
    if name in regions:
        return regions[name]
    if name in countries:
        return frozenset([name])
    return None


def _markets(
    value: Any, regions: Mapping[str, frozenset[str]], countries: Set[str], bad: Any
) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """``markets = [{ between = [...], and = [...] }, ...]`` with region names or country codes."""
    if not isinstance(value, list) or not all(
        isinstance(m, Mapping) and set(m) == {"between", "and"} for m in value
    ):
        bad("markets", "must be a list of { between = [...], and = [...] } tables")
        return ()
    out = []
    for m in value:
        sides = []
        for key in ("between", "and"):
            if not _strings(m[key]):
                bad("markets", f"'{key}' must be a list of region names or country codes")
                return ()
            found: set[str] = set()
            for name in m[key]:
                region = _region(name, regions, countries)
                if region is None:
                    bad("markets", f"{name!r} is neither a region of [regions] nor a country")
                    return ()
                found |= region
            sides.append(frozenset(found))
        out.append((sides[0], sides[1]))
    return tuple(out)


def _regions(
    root: Mapping[str, Any], countries: Set[str], found: list[Problem]
) -> dict[str, frozenset[str]]:
    regions: dict[str, frozenset[str]] = {}
    tbl = root.get("regions", {})
    if not isinstance(tbl, Mapping):
        found.append(Problem(FILE, 0, "regions", "must be a table of country-code lists"))
        return regions
    for name, codes in tbl.items():
        if not _strings(codes):
            found.append(Problem(FILE, 0, f"regions.{name}", "must be a list of country codes"))
            continue
        unknown = [c for c in codes if c not in countries]
        if unknown:
            found.append(Problem(FILE, 0, f"regions.{name}", f"not in the network: {unknown}"))
        regions[name] = frozenset(codes)
    return regions


def _detour_factor(root: Mapping[str, Any], found: list[Problem]) -> float:
    value = root.get("comparison", {}).get("max_detour_factor", DEFAULT_DETOUR_FACTOR)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 1.0:
        found.append(Problem(FILE, 0, "comparison.max_detour_factor", "must be a number >= 1"))
        return DEFAULT_DETOUR_FACTOR
    return float(value)


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
) -> tuple[dict[str, CorridorDef], float]:
    """Parse and check corridors.toml; append problems; return the corridors (empty if none)
    and the comparison's detour factor."""
    if not path.is_file():
        return {}, DEFAULT_DETOUR_FACTOR
    try:
        root = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as err:
        problems.append(Problem(FILE, 0, "", f"invalid TOML: {err}"))
        return {}, DEFAULT_DETOUR_FACTOR
    found: list[Problem] = []
    out: dict[str, CorridorDef] = {}
    regions = _regions(root, countries, found)
    factor = _detour_factor(root, found)
    for cid, tbl in root.items():
        if cid in SPECIAL:
            continue
        if not isinstance(tbl, Mapping):
            found.append(Problem(FILE, 0, cid, "must be a table"))
            continue
        _check(cid, tbl, locations, countries, sources, found)

        def bad(column: str, reason: str, cid: str = cid) -> None:
            found.append(Problem(FILE, 0, f"{cid}.{column}", reason))

        markets = _markets(tbl["markets"], regions, countries, bad) if "markets" in tbl else ()
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
            markets=markets,
        )
    problems.extend(found)
    return out, factor
