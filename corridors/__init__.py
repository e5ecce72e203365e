"""corridors: a transit-corridor route optimiser for freight across Iran, Central Asia and neighbours.

Data flows one way: files (network_data/) -> validated :class:`~corridors.model.Network`
-> state graph (:mod:`corridors.graph`) -> solvers (:mod:`corridors.solvers`) -> routes
(:mod:`corridors.routing`) -> CLI and the REST service.  Units are part of every name:
money in USD, time in hours (``_h``), distance in km, emissions in kg CO2e.
"""

__version__ = "0.1.0"
