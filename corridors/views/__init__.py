"""One home for views: the plain data behind ``--json`` and the REST API, the CLI's tables and
the scenario-suite report.

- :mod:`corridors.views.routes`: network info, locations, routes, summaries, Pareto points, tables;
- :mod:`corridors.views.comparison`: corridor comparisons and scenario results;
- :mod:`corridors.views.suite`: the scenario-suite report (Markdown, JSON, charts).
"""
