"""corridors: a transit-corridor route optimiser for freight across Iran, Central Asia and neighbours.

Data flows one way: files (network_data/) -> validated :class:`~corridors.model.Network`
-> state graph (:mod:`corridors.graph`) -> solvers (:mod:`corridors.solvers`) -> routes
(:mod:`corridors.routing`) -> CLI and the REST service.  Units are part of every name:
money in USD, time in hours (``_h``), distance in km, emissions in kg CO2e.
"""

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "alternatives",
    "compare",
    "criticality",
    "matrix",
    "pareto",
    "route",
    "router",
    "scenario",
]

# The Python API.  Its functions share names with modules of this package (compare,
# matrix, ...): binding them here, after those modules are loaded, makes ``corridors.compare``
# the function; the modules stay importable by their dotted names (``corridors.compare``
# in ``from corridors.compare import ...``).  Nothing is loaded or computed at import time.
from corridors.api import (  # noqa: E402
    alternatives,
    compare,
    criticality,
    matrix,
    pareto,
    route,
    router,
    scenario,
)
