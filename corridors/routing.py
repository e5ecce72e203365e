"""The public entry point: resolve places, apply rules, pick a solver, explain the route.

:class:`Router` holds a network compiled once; :meth:`Router.route` answers a
:class:`RouteRequest` with a :class:`~corridors.model.Route`, and :meth:`Router.pareto` with
the cost/time frontier.  Budgets (``max_cost_usd``) apply to the whole shipment; costs, times
and emissions are linear in the quantity (no economies of scale are modelled).

Solver choice (``solver="auto"``): hard exclusions only -> scipy Dijkstra on the masked arrays;
via points, "one of" sets, budgets or a border limit -> exact label setting; ``solver="mip"``
forces the OR-Tools MIP (the cross-check).  A hard rule is never relaxed: if no route meets the
rules, :class:`InfeasibleError` names the rule(s) and the best route without them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from corridors.errors import InfeasibleError, NoRouteError, RequestError
from corridors.explain import Explainer
from corridors.graph.compile import BoolArray, CompiledGraph, Filters, compile_graph
from corridors.model import MODES, Network, Route
from corridors.params import CARGO_CLASSES
from corridors.places import PlaceIndex
from corridors.solvers.base import OBJECTIVES, PathProblem, PathResult, Stage, objective_weights
from corridors.solvers.labels import best_under_budgets, pareto_frontier
from corridors.solvers.paths import LayeredPrepared, PreparedGraph, shortest_path

log = logging.getLogger(__name__)

SOLVERS = ("auto", "dijkstra", "labels", "mip")
MAX_VIA = 10
CACHE_SIZE = 64  # masks and prepared matrices kept per router
MAX_ONE_OF = 50


@dataclass(frozen=True)
class Via:
    location: str
    dwell_h: float = 0.0


@dataclass(frozen=True)
class RouteRequest:
    """A route query.  Places are ids, names, aliases or codes; rules are hard."""

    origin: str
    destination: str
    objective: str = "cost"
    cargo: str = "container"
    quantity: float = 1.0
    value_of_time_usd_per_unit_h: float | None = None
    modes: tuple[str, ...] | None = None
    exclude_countries: tuple[str, ...] = ()
    exclude_locations: tuple[str, ...] = ()
    exclude_links: tuple[str, ...] = ()
    year: int | None = None
    via: tuple[Via, ...] = ()
    one_of: tuple[str, ...] = ()
    gates: tuple[tuple[str, ...], ...] = ()  # pass one place of each, in order; "IR" = any in IR
    exclude_passages: tuple[str, ...] = ()  # sea passages, e.g. "ormuz", "suez", "babalmandab"
    exclude_basins: tuple[str, ...] = ()  # "caspian" or "open"
    max_hours: float | None = None
    max_cost_usd: float | None = None
    max_borders: int | None = None
    solver: str = "auto"
    time_limit_s: float = 10.0


@dataclass(frozen=True)
class ParetoPoint:
    route: Route
    # value of time (USD per unit-hour) above which this point beats the next cheaper one
    flip_value_of_time_usd_per_unit_h: float | None
    # the range of value of time (USD per unit-hour) over which this point minimises
    # cost + value of time x time; None for a point that is optimal for no value of time
    # (it lies above the lower convex hull of the frontier)
    optimal_for_value_of_time: tuple[float, float] | None = None


@dataclass(frozen=True)
class ParetoResult:
    points: tuple[ParetoPoint, ...]
    criteria: tuple[str, ...]
    solver: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Resolved:
    origin: str
    destination: str
    filters: Filters
    stage_ids: tuple[tuple[frozenset[str], float, str], ...]  # locations, dwell, rule name
    vot: float


class Router:
    """A network compiled once, answering route and Pareto queries."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.graph: CompiledGraph = compile_graph(network)
        self.places = PlaceIndex(network.locations)
        self.explainer = Explainer(network, self.graph)
        self._loc_pos = {loc: i for i, loc in enumerate(self.graph.loc_ids)}
        by_country: dict[str, set[str]] = {}
        for loc in network.locations.values():
            by_country.setdefault(loc.country, set()).add(loc.id)
        self._by_country = {c: frozenset(ids) for c, ids in by_country.items()}
        self._countries = frozenset(self._by_country)
        self._sea_links = tuple(lk for lk in network.links if lk.mode == "sea")
        # per-request-kind caches: masks by filters, prepared CSR matrices by weights and filters
        self._masks: dict[Filters, BoolArray] = {}
        self._prepared: OrderedDict[tuple[Any, ...], PreparedGraph | LayeredPrepared] = (
            OrderedDict()
        )
        self._lock = threading.Lock()  # the service calls a router from several threads

    # ---- request checking -------------------------------------------------------------
    def resolve(self, query: str) -> str:
        return self.places.resolve(query)

    def _gate(self, entries: Sequence[str]) -> frozenset[str]:
        """Locations of a gate: place names/ids, or ISO codes standing for a whole country."""
        out: set[str] = set()
        for entry in entries:
            if len(entry) == 2 and entry.isupper() and entry in self._countries:
                out |= self._by_country[entry]
            else:
                out.add(self.resolve(entry))
        return frozenset(out)

    def _sea_exclusions(self, req: RouteRequest) -> set[str]:
        passages, basins = set(req.exclude_passages), set(req.exclude_basins)
        if not passages and not basins:
            return set()
        return {
            lk.id for lk in self._sea_links if passages & set(lk.passages) or lk.basin in basins
        }

    def _check(self, req: RouteRequest) -> _Resolved:
        _check_options(req)
        origin, destination = self.resolve(req.origin), self.resolve(req.destination)
        if origin == destination:
            raise RequestError(
                "origin and destination are the same location", kind="constraint-conflict"
            )
        countries = {c.upper() for c in req.exclude_countries}
        unknown = sorted(countries - self._countries)
        if unknown:
            raise RequestError(f"unknown or absent country code(s): {', '.join(unknown)}")
        excluded_locs = frozenset(self.resolve(x) for x in req.exclude_locations)
        bad_links = sorted(set(req.exclude_links) - set(self.graph.ref_edges))
        if bad_links:
            raise RequestError(f"unknown link or crossing id(s): {', '.join(bad_links)}")
        stages = [
            (frozenset([self.resolve(v.location)]), v.dwell_h, f"via {v.location}") for v in req.via
        ]
        stages += [(self._gate(g), 0.0, f"pass {'|'.join(g)}") for g in req.gates]
        if req.one_of:
            stages.append((self._gate(req.one_of), 0.0, f"one of {', '.join(req.one_of)}"))

        def excluded(loc_id: str) -> bool:
            return loc_id in excluded_locs or self.network.locations[loc_id].country in countries

        for loc_id in (origin, destination):
            if excluded(loc_id):
                raise RequestError(
                    f"{loc_id} must be on the route but is excluded", kind="constraint-conflict"
                )
        for locs, _, name in stages:
            if all(excluded(x) for x in locs):
                raise RequestError(
                    f"{name}: every place of this rule is excluded", kind="constraint-conflict"
                )
        vot = req.value_of_time_usd_per_unit_h
        if vot is None:
            vot = self.network.params.cargo[req.cargo].value_of_time_usd_per_unit_h
        filters = Filters(
            exclude_countries=frozenset(countries),
            exclude_locations=excluded_locs,
            exclude_links=frozenset(req.exclude_links) | self._sea_exclusions(req),
            modes=frozenset(req.modes) if req.modes is not None else None,
            year=req.year,
        )
        return _Resolved(origin, destination, filters, tuple(stages), vot)

    # ---- solving -----------------------------------------------------------------------
    def _mask(self, filters: Filters) -> BoolArray:
        with self._lock:
            mask = self._masks.get(filters)
        if mask is None:
            mask = self.graph.mask(filters)
            with self._lock:
                if len(self._masks) >= CACHE_SIZE:
                    self._masks.clear()
                self._masks[filters] = mask
        return mask

    def _prepared_graph(
        self, req: RouteRequest, r: _Resolved, p: PathProblem
    ) -> PreparedGraph | LayeredPrepared:
        """The cached matrix for this kind of request (weights, filters and stages)."""
        vot = r.vot if req.objective == "generalized" else None
        stage_key = tuple(s.locations for s in p.stages)
        key = (req.objective, req.cargo, vot, r.filters, stage_key)
        with self._lock:
            prepared = self._prepared.get(key)
            if prepared is not None:
                self._prepared.move_to_end(key)
                return prepared
        if p.stages:
            prepared = LayeredPrepared(
                self.graph, p.weights, p.mask, [s.locations for s in p.stages]
            )
        else:
            prepared = PreparedGraph(self.graph, p.weights, p.mask)
        with self._lock:
            self._prepared[key] = prepared
            while len(self._prepared) > CACHE_SIZE:
                self._prepared.popitem(last=False)
        return prepared

    def _problem(self, req: RouteRequest, r: _Resolved) -> PathProblem:
        g = self.graph
        stages = [
            Stage(frozenset(self._loc_pos[x] for x in locs), dwell)
            for locs, dwell, _ in r.stage_ids
        ]
        per_unit_cost = None if req.max_cost_usd is None else req.max_cost_usd / req.quantity
        return PathProblem(
            graph=g,
            mask=self._mask(r.filters),
            source=g.node_index[(r.origin, "src")],
            target=g.node_index[(r.destination, "dst")],
            weights=objective_weights(g, req.objective, req.cargo, r.vot),
            cost_usd=g.cost_usd[req.cargo],
            max_time_h=req.max_hours,
            max_cost_usd=per_unit_cost,
            max_borders=req.max_borders,
            stages=stages,
            time_limit_s=req.time_limit_s,
        )

    def _solve(
        self, p: PathProblem, solver: str, prepared: PreparedGraph | LayeredPrepared | None = None
    ) -> PathResult:
        if solver == "mip":
            from corridors.solvers.mip import solve_mip  # OR-Tools loads only when asked for

            return solve_mip(p)
        if solver == "labels" or (p.has_side_rules and prepared is None):
            if solver == "dijkstra":
                raise RequestError("solver 'dijkstra' cannot honour budgets or border limits")
            return best_under_budgets(p)
        if prepared is not None:
            path = prepared.path(p.source, p.target)
            name = "dijkstra-layered" if p.stages else "dijkstra"
        else:
            path = shortest_path(p.graph, p.weights, p.mask, p.source, p.target)
            name = "dijkstra"
        if path is None:
            return PathResult([], float("inf"), name, "infeasible")
        dwell = sum(s.dwell_h for s in p.stages)
        return PathResult(path, float(np.sum(p.weights[path])), name, "optimal", dwell)

    def route(self, req: RouteRequest) -> Route:
        """The best route for ``req``; raises a typed error when there is none."""
        started = time.perf_counter()
        r = self._check(req)
        p = self._problem(req, r)
        budgets = (p.max_time_h, p.max_cost_usd, p.max_borders)
        plain = req.solver in ("auto", "dijkstra") and all(b is None for b in budgets)
        result = self._solve(p, req.solver, self._prepared_graph(req, r, p) if plain else None)
        if result.status == "infeasible":
            raise self._diagnose(req)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        solver = {
            "name": result.solver,
            "status": result.status,
            "objective_per_unit": result.objective,
            "elapsed_ms": round(elapsed_ms, 3),
        }
        return self.explainer.explain(
            result.edges,
            req=req,
            origin=r.origin,
            destination=r.destination,
            stages=r.stage_ids,
            solver=solver,
        )

    # ---- infeasibility -----------------------------------------------------------------
    def _feasible(self, req: RouteRequest) -> PathResult:
        return self._solve(self._problem(req, self._check(req)), "auto")

    def _diagnose(self, req: RouteRequest) -> NoRouteError:
        """Name the rule(s) no route can meet, and the best route without them."""
        bare = _drop(req, [n for n, _ in _RULES])
        if self._feasible(bare).status == "infeasible":
            return NoRouteError(
                f"no route joins {req.origin} and {req.destination} on the network"
                + ("" if req.year else " (operational lines only; try a later --year)")
            )
        present = [n for n, present_fn in _RULES if present_fn(req)]
        alone = [
            n
            for n in present
            if self._feasible(_drop(req, [m for m in present if m != n])).status == "infeasible"
        ]
        culprits = alone or present
        best = None
        relaxed = _drop(req, culprits)
        if self._feasible(relaxed).status != "infeasible":
            s = self.route(relaxed).summary
            best = {
                "cost_usd": s.cost_usd,
                "time_h": s.time_h,
                "distance_km": s.distance_km,
                "border_crossings": s.border_crossings,
                "countries": list(s.countries),
            }
        which = " and ".join(culprits) if alone else "the combination of " + ", ".join(culprits)
        detail = f"no route from {req.origin} to {req.destination} meets {which}"
        if best is not None:
            detail += (
                f"; without it the best route costs {best['cost_usd']:,.0f} USD and takes "
                f"{best['time_h']:,.1f} h"
            )
        return InfeasibleError(culprits, detail, best)

    # ---- Pareto ------------------------------------------------------------------------
    def pareto(
        self, req: RouteRequest, *, include_co2: bool = False, epsilon: float = 0.0
    ) -> ParetoResult:
        """Every non-dominated route for cost vs time (and CO2 if asked), cheapest first."""
        if req.max_borders is not None:
            raise RequestError("max_borders is not supported for the Pareto frontier")
        if not 0.0 <= epsilon < 1.0:
            raise RequestError("epsilon must be in [0, 1)")
        started = time.perf_counter()
        r = self._check(req)
        p = self._problem(req, r)
        g = self.graph
        criteria = [g.cost_usd[req.cargo], g.time_h] + (
            [g.co2_kg[req.cargo]] if include_co2 else []
        )
        found = pareto_frontier(
            g, p.mask, p.source, p.target, criteria, stages=p.stages, time_limit_s=req.time_limit_s
        )
        if not found:
            raise self._diagnose(req)
        found = [f for f in found if _within_budgets(f[0], req, p)]
        if not found:
            raise self._diagnose(req)
        found.sort(key=lambda f: (f[0][0], f[0][1]))
        found = _thin(found, epsilon)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        solver = {"name": "labels", "status": "optimal", "elapsed_ms": round(elapsed_ms, 3)}
        points = []
        vot_ranges = _vot_ranges([(c[0], c[1]) for c, _ in found])
        for i, (crit, path) in enumerate(found):
            flip = None
            if i > 0:
                prev = found[i - 1][0]
                saved_h = prev[1] - crit[1]
                flip = (crit[0] - prev[0]) / saved_h if saved_h > 0 else None
            route = self.explainer.explain(
                path,
                req=req,
                origin=r.origin,
                destination=r.destination,
                stages=r.stage_ids,
                solver=solver,
            )
            points.append(ParetoPoint(route, flip, vot_ranges[i]))
        names = ("cost", "time", "co2")[: len(criteria)]
        return ParetoResult(tuple(points), names, solver)


def _vot_ranges(points: list[tuple[float, float]]) -> list[tuple[float, float] | None]:
    """For (cost, time) points sorted by cost, the value-of-time range where each is optimal.

    The points optimal for some value of time v >= 0 (minimising cost + v x time) are the
    vertices of the frontier's lower convex hull; between two neighbouring vertices the
    choice flips at v = (extra cost) / (hours saved).
    """
    hull: list[int] = []
    for i, (c, t) in enumerate(points):  # cost ascending, time descending
        while len(hull) >= 2:
            (c1, t1), (c2, t2) = points[hull[-2]], points[hull[-1]]
            # drop the middle point if it lies on or above the segment hull[-2] -> i
            if (c2 - c1) * (t1 - t) >= (c - c1) * (t1 - t2):
                hull.pop()
            else:
                break
        hull.append(i)
    out: list[tuple[float, float] | None] = [None] * len(points)
    for k, i in enumerate(hull):
        low = 0.0 if k == 0 else _flip(points[hull[k - 1]], points[i])
        high = float("inf") if k == len(hull) - 1 else _flip(points[i], points[hull[k + 1]])
        out[i] = (low, high)
    return out


def _flip(cheaper: tuple[float, float], faster: tuple[float, float]) -> float:
    saved_h = cheaper[1] - faster[1]
    return (faster[0] - cheaper[0]) / saved_h if saved_h > 0 else float("inf")


def _within_budgets(crit: tuple[float, ...], req: RouteRequest, p: PathProblem) -> bool:
    if p.max_cost_usd is not None and crit[0] > p.max_cost_usd + 1e-9:
        return False
    return req.max_hours is None or crit[1] <= req.max_hours + 1e-9


def _thin(
    found: list[tuple[tuple[float, ...], list[int]]], epsilon: float
) -> list[tuple[tuple[float, ...], list[int]]]:
    """Drop a point whose cost and time are both within ``epsilon`` (relative) of the last kept."""
    if epsilon <= 0:
        return found
    kept = [found[0]]
    for crit, path in found[1:]:
        last = kept[-1][0]
        if all(
            abs(c - b) <= epsilon * max(abs(b), 1e-9)
            for c, b in zip(crit[:2], last[:2], strict=True)
        ):
            continue
        kept.append((crit, path))
    return kept


_RULES: tuple[tuple[str, Any], ...] = (
    ("exclude_countries", lambda r: bool(r.exclude_countries)),
    ("exclude_locations", lambda r: bool(r.exclude_locations)),
    ("exclude_links", lambda r: bool(r.exclude_links)),
    ("modes", lambda r: r.modes is not None),
    ("via", lambda r: bool(r.via)),
    ("one_of", lambda r: bool(r.one_of)),
    ("gates", lambda r: bool(r.gates)),
    ("exclude_passages", lambda r: bool(r.exclude_passages)),
    ("exclude_basins", lambda r: bool(r.exclude_basins)),
    ("max_hours", lambda r: r.max_hours is not None),
    ("max_cost_usd", lambda r: r.max_cost_usd is not None),
    ("max_borders", lambda r: r.max_borders is not None),
)
_EMPTY = RouteRequest(origin="", destination="")


def _drop(req: RouteRequest, rules: Sequence[str]) -> RouteRequest:
    return replace(req, **{name: getattr(_EMPTY, name) for name in rules}, solver="auto")


def _check_options(req: RouteRequest) -> None:
    if req.objective not in OBJECTIVES:
        raise RequestError(
            f"unknown objective {req.objective!r}; expected one of {', '.join(OBJECTIVES)}"
        )
    if req.cargo not in CARGO_CLASSES:
        raise RequestError(
            f"unknown cargo {req.cargo!r}; expected one of {', '.join(CARGO_CLASSES)}"
        )
    if req.solver not in SOLVERS:
        raise RequestError(f"unknown solver {req.solver!r}; expected one of {', '.join(SOLVERS)}")
    if not req.quantity > 0:
        raise RequestError("quantity must be > 0")
    if req.modes is not None:
        bad = sorted(set(req.modes) - set(MODES))
        if bad or not req.modes:
            raise RequestError(f"modes must be a non-empty subset of {', '.join(MODES)}")
    for name in ("max_hours", "max_cost_usd", "max_borders", "value_of_time_usd_per_unit_h"):
        v = getattr(req, name)
        if v is not None and v < 0:
            raise RequestError(f"{name} must be >= 0")
    if len(req.via) > MAX_VIA:
        raise RequestError(f"at most {MAX_VIA} via points", kind="too-big")
    if len(req.gates) > MAX_VIA:
        raise RequestError(f"at most {MAX_VIA} gates", kind="too-big")
    if len(req.one_of) > MAX_ONE_OF:
        raise RequestError(f"at most {MAX_ONE_OF} locations in one_of", kind="too-big")
    if any(v.dwell_h < 0 for v in req.via):
        raise RequestError("via dwell must be >= 0")
    if not 0 < req.time_limit_s <= 600:
        raise RequestError("time_limit_s must be in (0, 600]")
    if req.year is not None and not 1900 <= req.year <= 2100:
        raise RequestError("year must be between 1900 and 2100")
