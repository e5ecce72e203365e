"""A policy scenario (sanctions relief for Iran) and a small skim matrix."""

import corridors

run = corridors.scenario("sanctions_relief_iran")
for row in run.rows()[:5]:
    print(
        f"{row['origin']:8} -> {row['destination']:9} ({row['risk_profile']}): "
        f"{row['baseline_corridor']} -> {row['scenario_corridor']}, "
        f"{row['delta_total_usd']:+,.0f} USD"
    )
cells = corridors.matrix(["Almaty", "Tashkent"], ["Tehran", "Istanbul"])
for c in cells:
    print(f"{c.origin:8} -> {c.destination:9} {c.cost_usd:7,.0f} USD {c.time_h / 24:5.1f} days")
