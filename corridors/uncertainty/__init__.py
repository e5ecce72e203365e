"""Uncertainty and sensitivity: distributions on the model's inputs (model.py), the edge
figures they scale (factors.py), Monte Carlo over corridors on Dask (montecarlo.py), break-even
points and a tornado of the inputs (sensitivity.py)."""
