"""Solvers behind one interface: plain best routes (paths), budgets and Pareto (labels), and an
OR-Tools MIP for side rules and cross-checks (mip).  See base.py for the shared types."""
