"""Re-derive great-circle estimates after coordinates change.

A link or crossing whose distance comes from an ``estimate`` source with a detour ``factor``
must equal great circle x factor (the validator checks it).  :func:`refresh_estimates`
recomputes those distances from the current coordinates and rewrites only that column of
links.csv and borders.csv; each file is written to a temporary file first and moved into
place, so a failure leaves the original intact.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from corridors.geo import great_circle_km


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write_atomic(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refresh_estimates(data_dir: Path, *, write: bool = True) -> list[str]:
    """Recompute estimated distances; return one line per changed row (file, id, old -> new)."""
    _, sources = _read(data_dir / "sources.csv")
    factors = {
        s["key"]: float(s["factor"])
        for s in sources
        if s.get("kind") == "estimate" and (s.get("factor") or "").strip()
    }
    _, locs = _read(data_dir / "locations.csv")
    coords = {r["id"]: (float(r["lat"]), float(r["lon"])) for r in locs}
    changes: list[str] = []
    for name in ("links.csv", "borders.csv"):
        path = data_dir / name
        header, rows = _read(path)
        changed = False
        for row in rows:
            factor = factors.get(row.get("source", ""))
            a, b = coords.get(row["from_id"]), coords.get(row["to_id"])
            if factor is None or a is None or b is None:
                continue
            new = f"{great_circle_km(*a, *b) * factor:.1f}"
            old = row.get("distance_km", "")
            if old.strip() == "" or abs(float(old) - float(new)) > 0.05:
                changes.append(f"{name} {row['id']}: {old or '(empty)'} -> {new} km")
                row["distance_km"] = new
                changed = True
        if changed and write:
            _write_atomic(path, header, rows)
    return changes
