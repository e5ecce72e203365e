"""The best route from Tashkent to Bandar Abbas by generalized cost, step by step."""

import corridors

route = corridors.route("Tashkent", "Bandar Abbas", objective="generalized")
s = route.summary
print(f"{s.cost_usd:,.0f} USD, {s.time_days:.1f} days, {s.distance_km:,.0f} km")
print(" > ".join(s.countries))
for leg in route.legs:
    print(f"  {leg.mode:5} {leg.from_id} -> {leg.to_id}: {leg.distance_km:,.0f} km")
