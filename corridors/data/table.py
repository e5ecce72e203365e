"""Read one CSV data file against its columns, collecting a problem for every bad cell."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridors.data import schema
from corridors.errors import Problem

__all__ = ["Row", "complete_row", "read_table"]


@dataclass(frozen=True)
class Row:
    """One parsed CSV row: its line number in the file and its typed cells (None when empty)."""

    line: int
    cells: dict[str, Any]


def read_table(path: Path, columns: Sequence[schema.Column], problems: list[Problem]) -> list[Row]:
    """Parse a CSV file against its columns; append a problem for every bad cell."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        problems.append(Problem(name, 0, "", f"cannot read: {err}"))
        return []
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c.name for c in columns if c.name not in header]
    if missing:
        problems.append(Problem(name, 1, ",".join(missing), "missing column(s)"))
        return []
    rows: list[Row] = []
    for line, raw in enumerate(reader, start=2):
        if None in raw:
            problems.append(Problem(name, line, "", "more cells than header columns"))
            continue
        cells: dict[str, Any] = {}
        for col in columns:
            value = (raw.get(col.name) or "").strip()
            if not value:
                if col.required:
                    problems.append(Problem(name, line, col.name, "required value is empty"))
                cells[col.name] = None
                continue
            try:
                cells[col.name] = schema.parse_cell(col, value)
            except ValueError as err:
                problems.append(Problem(name, line, col.name, str(err)))
                cells[col.name] = None
        rows.append(Row(line, cells))
    return rows


def complete_row(row: Row, columns: Sequence[schema.Column]) -> bool:
    return all(row.cells[c.name] is not None for c in columns if c.required)
