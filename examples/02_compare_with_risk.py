"""Corridors from Almaty to Mumbai for a western shipper: transport cost, priced risk, days."""

import corridors

cmp = corridors.compare("Almaty", "Mumbai", risk_profile="western-shipper")
for row in cmp.rows():
    if row["status"] == "ranked":
        print(
            f"{row['name'][:45]:45} {row['cost_usd']:>8,.0f} USD"
            f" + {row['risk_usd']:>5,.0f} risk  {row['time_days']:>5.1f} days"
        )
print("through Iran minus avoiding Iran:", cmp.delta)
