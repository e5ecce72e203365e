"""A comparison as a table (CSV, or a pandas DataFrame) and as GeoJSON for a GIS."""

import json
import sys
from pathlib import Path

import corridors

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
cmp = corridors.compare("Tashkent", "Istanbul")
(out / "tashkent_istanbul.csv").write_text(cmp.to_csv(), encoding="utf-8")
(out / "tashkent_istanbul.geojson").write_text(json.dumps(cmp.to_geojson()), encoding="utf-8")
try:
    frame = cmp.to_frame()
    print(frame[["corridor", "status", "cost_usd", "time_days"]].head(3).to_string(index=False))
except ImportError:
    print("install pandas for to_frame()")
print(f"{len(cmp.to_geojson()['features'])} legs written as GeoJSON")
