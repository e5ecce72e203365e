"""The region's trade on the network: demand and capacities (load.py), the capacity-constrained
assignment on OR-Tools (assign.py), and its outputs (report views in corridors.views.trade)."""
