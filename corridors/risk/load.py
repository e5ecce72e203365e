"""Risk and policy attributes of countries and sea passages, read from ``network_data/risk/``.

Files (every row names its source keys and the date its facts hold for, ``as_of``):

- ``memberships.csv``: a country's membership of EAEU, EU, SCO, TIR, WTO, COTIF (CIM rail
  consignment note) and OSJD (SMGS consignment note);
- ``sanctions.csv``: the sanctions regimes that can touch a freight route: who imposes them
  (US, EU, UK, UN), on which country, their scope and what they affect;
- ``security.csv``: one public security index for every country, turned into a risk score
  from 0 (safest) to 100;
- ``premiums.csv``: war-risk, sanctions and security costs of sea passages and countries, as a
  % of cargo value or USD per TEU (other bases are kept as evidence and not priced);
- ``profiles.toml``: who is shipping: which sanctions regimes bind them, which premiums they
  pay and which targets ``avoid_sanctioned`` keeps them out of.

A data directory without ``risk/`` has the ``none`` profile only (no risk priced).  Problems
are reported like every data problem (file, row, column, reason); nothing is half-loaded.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Any

from corridors.data import schema
from corridors.data.table import complete_row, read_table
from corridors.errors import Problem
from corridors.risk.model import (
    AFFECTS,
    BASES,
    BODIES,
    JURISDICTIONS,
    NO_RISK,
    PREMIUM_KINDS,
    SCOPES,
    Membership,
    Premium,
    RiskData,
    RiskProfile,
    Sanction,
    SecurityScore,
)

__all__ = ["load_risk"]

DIR = "risk"


def _date(text: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = text.split("-")
    ok = 1 <= len(parts) <= 3 and len(parts[0]) == 4 and all(p.isdigit() for p in parts)
    if not ok or not 1900 <= int(parts[0]) <= 2100:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return text


_COMMON = (schema.Column("as_of", "str", True), schema.Column("source", "list", True))
MEMBERSHIPS = (
    schema.Column("country", "country", True),
    schema.Column("body", required=True, choices=BODIES),
    schema.Column(
        "status", required=True, choices=("member", "observer", "acceding", "dialogue_partner")
    ),
    schema.Column("since", "int"),
    *_COMMON,
)
SANCTIONS = (
    schema.Column("id", "slug", True),
    schema.Column("imposed_by", required=True, choices=JURISDICTIONS),
    schema.Column("target", "country", True),
    schema.Column("scope", required=True, choices=SCOPES),
    schema.Column("affects", "list", True),
    schema.Column("summary", required=True),
    schema.Column("since", "str"),
    *_COMMON,
)
SECURITY = (
    schema.Column("country", "country", True),
    schema.Column("index", required=True, choices=("wgi_pv_percentile", "gpi_score")),
    schema.Column("value", "float", True),
    schema.Column("scale"),
    schema.Column("year", "int", True),
    *_COMMON,
)
PREMIUMS = (
    schema.Column("id", "slug", True),
    schema.Column("area", required=True),
    schema.Column("kind", required=True, choices=PREMIUM_KINDS),
    schema.Column("basis", required=True, choices=BASES),
    schema.Column("value", "float"),
    schema.Column("low", "float"),
    schema.Column("high", "float"),
    *_COMMON,
    schema.Column("notes"),
)


def _check_sources(
    file: str, line: int, keys: tuple[str, ...], known: Set[str], problems: list[Problem]
) -> None:
    for key in keys:
        if key not in known:
            problems.append(Problem(file, line, "source", f"unknown source key {key!r}"))


def _dated(file: str, line: int, cells: Mapping[str, Any], problems: list[Problem]) -> bool:
    try:
        _date(cells["as_of"])
    except ValueError as err:
        problems.append(Problem(file, line, "as_of", str(err)))
        return False
    return True


def _table(
    d: Path, name: str, cols: tuple[schema.Column, ...], known: Set[str], problems: list[Problem]
) -> list[tuple[int, dict[str, Any]]]:
    """The complete, dated and sourced rows of one file."""
    path = d / name
    if not path.is_file():
        problems.append(Problem(f"{DIR}/{name}", 0, "", "missing file"))
        return []
    sub: list[Problem] = []
    rows = read_table(path, cols, sub)
    problems.extend(Problem(f"{DIR}/{p.file}", p.row, p.column, p.reason) for p in sub)
    out = []
    for row in rows:
        c = row.cells
        if not complete_row(row, cols):
            continue
        if _dated(f"{DIR}/{name}", row.line, c, problems):
            _check_sources(f"{DIR}/{name}", row.line, c["source"], known, problems)
            out.append((row.line, c))
    return out


def _premium(line: int, c: Mapping[str, Any], areas: Set[str], problems: list[Problem]) -> Premium:
    file = f"{DIR}/premiums.csv"
    if c["area"] not in areas:
        problems.append(Problem(file, line, "area", f"unknown area {c['area']!r}"))
    if c["basis"] == "pct_money_transferred" and c["kind"] != "sanctions_cost":
        problems.append(
            Problem(file, line, "basis", "pct_money_transferred is for sanctions_cost only")
        )
    pct = c["basis"].startswith("pct_")
    for col in ("value", "low", "high"):
        v = c[col]
        if v is not None and (v < 0 or (pct and v > 100)):
            bound = "[0, 100] %" if pct else ">= 0"
            problems.append(Problem(file, line, col, f"{v:g} is outside {bound}"))
    return Premium(
        c["id"],
        c["area"],
        c["kind"],
        c["basis"],
        c["value"],
        c["low"],
        c["high"],
        c["as_of"],
        c["source"],
        c["notes"] or "",
    )


def _strs(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _profiles(
    path: Path,
    premiums: Mapping[str, Premium],
    sanctions: tuple[Sanction, ...],
    problems: list[Problem],
) -> dict[str, RiskProfile]:
    file = f"{DIR}/profiles.toml"
    if not path.is_file():
        problems.append(Problem(file, 0, "", "missing file"))
        return {}
    try:
        root = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        problems.append(Problem(file, 0, "", f"cannot read: {err}"))
        return {}
    out: dict[str, RiskProfile] = {NO_RISK: RiskProfile(NO_RISK, "No risk priced.")}
    tables = root.get("profiles", {})
    for name, tbl in tables.items() if isinstance(tables, Mapping) else ():
        where = f"profiles.{name}"
        if not isinstance(tbl, Mapping) or not isinstance(tbl.get("description"), str):
            problems.append(Problem(file, 0, where, "must be a table with a description"))
            continue
        lists = {k: tbl.get(k, []) for k in ("observes", "premiums", "avoid_scopes")}
        bad = [k for k, v in lists.items() if not _strs(v)]
        bad += [k for k in tbl if k not in ("description", *lists)]
        if bad:
            problems.append(Problem(file, 0, where, f"bad or unknown field(s): {', '.join(bad)}"))
            continue
        for k, allowed in (("observes", JURISDICTIONS), ("avoid_scopes", SCOPES)):
            for v in lists[k]:
                if v not in allowed:
                    problems.append(Problem(file, 0, f"{where}.{k}", f"unknown value {v!r}"))
        for pid in lists["premiums"]:
            p = premiums.get(pid)
            if p is None or not p.priced:
                why = (
                    "unknown premium id"
                    if p is None
                    else f"basis {p.basis} with value {p.value} is not priced"
                )
                problems.append(Problem(file, 0, f"{where}.premiums", f"{pid!r}: {why}"))
            elif p.kind == "sanctions_cost" and not any(s.target == p.area for s in sanctions):
                problems.append(
                    Problem(
                        file,
                        0,
                        f"{where}.premiums",
                        f"{pid!r} prices sanctions on {p.area}, which no regime in "
                        "sanctions.csv targets",
                    )
                )
        out[name] = RiskProfile(
            name,
            str(tbl["description"]),
            tuple(lists["observes"]),
            tuple(lists["premiums"]),
            tuple(lists["avoid_scopes"]),
        )
    return out


def load_risk(
    data_dir: Path,
    countries: Set[str],
    passages: Set[str],
    source_keys: Set[str],
    problems: list[Problem],
) -> RiskData:
    """Read ``data_dir/risk/``; append every problem to ``problems``."""
    d = data_dir / DIR
    if not d.is_dir():
        return RiskData()
    memberships = tuple(
        Membership(c["country"], c["body"], c["status"], c["since"], c["as_of"], c["source"])
        for _, c in _table(d, "memberships.csv", MEMBERSHIPS, source_keys, problems)
    )
    sanctions = []
    for line, c in _table(d, "sanctions.csv", SANCTIONS, source_keys, problems):
        bad = [a for a in c["affects"] if a not in AFFECTS]
        if bad:
            problems.append(Problem(f"{DIR}/sanctions.csv", line, "affects", f"unknown {bad}"))
        sanctions.append(
            Sanction(
                c["id"],
                c["imposed_by"],
                c["target"],
                c["scope"],
                c["affects"],
                c["summary"],
                c["since"] or "",
                c["as_of"],
                c["source"],
            )
        )
    security = {
        c["country"]: SecurityScore(
            c["country"], c["index"], c["value"], c["year"], c["as_of"], c["source"]
        )
        for _, c in _table(d, "security.csv", SECURITY, source_keys, problems)
    }
    areas = set(countries) | set(passages) | {"caspian"}
    premiums = {
        c["id"]: _premium(line, c, areas, problems)
        for line, c in _table(d, "premiums.csv", PREMIUMS, source_keys, problems)
    }
    profiles = _profiles(d / "profiles.toml", premiums, tuple(sanctions), problems)
    return RiskData(memberships, tuple(sanctions), security, premiums, profiles)
