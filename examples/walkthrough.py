"""A notebook-style walkthrough of the Python API, rendered to Markdown.

Run ``python examples/walkthrough.py [OUT.md]`` (default: ``examples/walkthrough.md``): each
cell's code runs in one shared namespace and its printed output is written under it.
"""

from __future__ import annotations

import contextlib
import io
import sys
import textwrap
from pathlib import Path

CELLS: list[tuple[str, str]] = [
    (
        "The network is loaded on first use; a place is found by name, alias or code.",
        """
        import corridors

        route = corridors.route("Tashkent", "Bandar Abbas", objective="generalized")
        s = route.summary
        print(f"{s.cost_usd:,.0f} USD, {s.time_days:.1f} days, {s.distance_km:,.0f} km")
        print(" > ".join(s.countries))
        """,
    ),
    (
        "Every leg and event of the route, with where its figures came from:",
        """
        for row in route.rows()[:8]:
            print(f"{row['step']:14} {row['location_id']:14} {row['time_h']:6.1f} h"
                  f" {row['cost_usd']:7.0f} USD")
        print(len(route.provenance), "sources used, e.g.", route.provenance[0].title[:60])
        """,
    ),
    (
        "The corridors compared for a western shipper: risk is a separate column.",
        """
        cmp = corridors.compare("Almaty", "Mumbai", risk_profile="western-shipper")
        for row in cmp.rows():
            if row["status"] == "ranked":
                print(f"{row['corridor']:22} {row['cost_usd']:7,.0f} + {row['risk_usd']:4,.0f}"
                      f" USD {row['time_days']:5.1f} days")
        """,
    ),
    (
        "The same shipper, keeping out of sanctioned countries:",
        """
        safe = corridors.route("Almaty", "Mumbai", objective="generalized",
                               risk_profile="western-shipper", avoid_sanctioned=True)
        print(" > ".join(safe.summary.countries), f"{safe.summary.total_usd:,.0f} USD")
        """,
    ),
    (
        "Distinct alternatives, and what each trades against the best:",
        """
        for alt in corridors.alternatives("Tashkent", "Istanbul", k=3):
            print(f"{alt.route.summary.cost_usd:7,.0f} USD  {alt.delta_time_h / 24:+5.1f} days"
                  f"  {', '.join(alt.key_elements)[:70]}")
        """,
    ),
    (
        "A policy scenario against the baseline:",
        """
        run = corridors.scenario("risk_gulf_calm")
        for row in run.rows()[:4]:
            print(f"{row['origin']} -> {row['destination']}: {row['delta_total_usd']:+,.0f} USD")
        """,
    ),
    (
        "GeoJSON for a GIS, a DataFrame for analysis:",
        """
        geo = route.to_geojson()
        print(geo["type"], len(geo["features"]), "legs;",
              {f["properties"]["geometry"] for f in geo["features"]})
        frame = cmp.to_frame()
        print(frame.shape)
        """,
    ),
]


def render(out: Path) -> None:
    namespace: dict[str, object] = {}
    parts = [
        "# corridors from Python: a walkthrough",
        "",
        "Rendered by `python examples/walkthrough.py` on the bundled network.",
        "",
    ]
    for text, code in CELLS:
        code = textwrap.dedent(code).strip()
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "<walkthrough>", "exec"), namespace)  # noqa: S102
        parts += [text, "", "```python", code, "```", ""]
        output = buffer.getvalue().rstrip()
        if output:
            parts += ["```text", output, "```", ""]
    out.write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("walkthrough.md")
    render(target)
    print(f"walkthrough written to {target}")
