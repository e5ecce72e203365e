"""The public entry point: resolve places, apply rules, pick a solver, explain the route.

:class:`Router` holds a network compiled once; :meth:`Router.route` answers a
:class:`~corridors.request.RouteRequest` with a :class:`~corridors.model.Route`, and
:meth:`Router.pareto` with the cost/time frontier.  Budgets (``max_cost_usd``) apply to the whole
shipment; costs, times and emissions are linear in the quantity (no economies of scale are
modelled).  Requests are checked by :func:`~corridors.request.validate_request`; infeasibility is
explained by :mod:`corridors.diagnose`, the frontier post-processed by :mod:`corridors.pareto`.

Solver choice (:func:`choose_solver`, for ``solver="auto"``): hard exclusions only -> scipy
Dijkstra on the masked arrays (layered for via points and gates); budgets or a border limit ->
exact label setting; ``solver="mip"`` forces the OR-Tools MIP (the cross-check).  A hard rule is
never relaxed: if no route meets the rules, :class:`~corridors.errors.InfeasibleError` names the
rule(s) and the best route without them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridors.areas import AreaIndex, parse_areas
from corridors.deadline import check_deadline
from corridors.diagnose import best_without, diagnose
from corridors.errors import InfeasibleError, NoRouteError, RequestError, SolverError
from corridors.explain import Explainer
from corridors.graph.compile import BoolArray, CompiledGraph, Filters, compile_graph
from corridors.graph.states import DST, SRC, arrival, ferry_landing, rail_state
from corridors.model import GAUGES_MM, Network, Route, SolverInfo, StageRule
from corridors.pareto import (
    ParetoPoint,
    ParetoResult,
    flip_values,
    thin,
    value_of_time_ranges,
    within_budgets,
)
from corridors.places import PlaceIndex
from corridors.request import DEFAULT_LIMITS, Limits, RouteRequest, Solver, validate_request
from corridors.risk.pricing import RiskPricing
from corridors.solvers.base import PathProblem, PathResult, Stage, objective_weights
from corridors.solvers.labels import best_under_budgets, pareto_frontier
from corridors.solvers.paths import LayeredPrepared, PreparedGraph, shortest_path

__all__ = ["Router", "choose_solver"]

CACHE_SIZE = 64  # masks and prepared matrices kept per router
SURFACE_MODES = ("rail", "road", "sea")  # the default: air is opt-in
SIMPLE_SEARCH_LABELS = 1_200  # labels the elementary search may examine when stages apply
# a wagon or truck landing off a rail ferry or ro-ro arrives by ship (a gate ``place@sea``)
_FERRY_LANDINGS = tuple(ferry_landing(s) for s in ("road", *map(rail_state, GAUGES_MM)))


@dataclass(frozen=True)
class _Resolved:
    origin: str
    destination: str
    filters: Filters
    stages: tuple[StageRule, ...]
    vot: float


def choose_solver(req: RouteRequest) -> Solver:
    """The solver that answers ``req``: the requested one, or for ``auto`` Dijkstra when only
    exclusions, via points and gates apply, else exact label setting (budgets, border limit)."""
    plain = all(b is None for b in (req.max_hours, req.max_cost_usd, req.max_borders))
    if req.solver == "dijkstra" and not plain:
        raise RequestError("solver 'dijkstra' cannot honour budgets or border limits")
    if req.solver != "auto":
        return req.solver
    return "dijkstra" if plain else "labels"


class Router:
    """A network compiled once, answering route and Pareto queries.

    Parameters
    ----------
    network
        A validated network (see :func:`corridors.data.load_network`).
    limits
        The most a request may ask for (the service passes its configured limits).
    """

    def __init__(self, network: Network, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.network = network
        self.limits = limits
        self.graph: CompiledGraph = compile_graph(network)
        self.places = PlaceIndex(network.locations)
        self.explainer = Explainer(network, self.graph)
        self._loc_nodes: dict[str, list[int]] = {}
        for i, (loc_id, _) in enumerate(self.graph.nodes):
            self._loc_nodes.setdefault(loc_id, []).append(i)
        by_country: dict[str, set[str]] = {}
        for loc in network.locations.values():
            by_country.setdefault(loc.country, set()).add(loc.id)
        self._by_country = {c: frozenset(ids) for c, ids in by_country.items()}
        self._countries = frozenset(self._by_country)
        self._sea_links = tuple(lk for lk in network.links if lk.mode == "sea")
        self._risk: dict[str, RiskPricing] = {}  # per profile
        self._areas: AreaIndex | None = None  # built on the first request with avoid_areas
        # per-request-kind caches: masks by filters, prepared CSR matrices by weights and filters
        self._masks: dict[Filters, BoolArray] = {}
        self._prepared: OrderedDict[tuple[Any, ...], PreparedGraph | LayeredPrepared] = (
            OrderedDict()
        )
        self._lock = threading.Lock()  # the service calls a router from several threads

    # ---- request checking -------------------------------------------------------------
    def resolve(self, query: str) -> str:
        return self.places.resolve(query)

    def _gate(self, entries: Sequence[str], name: str) -> StageRule:
        """A gate: place names/ids, ISO codes standing for a whole country, ``place@sea``
        (that place, reached or left by ship) or ``place@port`` (by ship, or the shipment
        starts or ends there)."""
        out: set[str] = set()
        by_sea: set[str] = set()
        as_port: set[str] = set()
        for entry in entries:
            place, _, mode = entry.partition("@")
            if mode and mode not in ("sea", "port"):
                raise RequestError(f"gate entry {entry!r}: only '@sea' and '@port' are understood")
            if not mode and len(place) == 2 and place.isupper() and place in self._countries:
                out |= self._by_country[place]
                continue
            loc = self.resolve(place)
            out.add(loc)
            if mode:
                by_sea.add(loc)
            if mode == "port":
                as_port.add(loc)
        return StageRule(frozenset(out), 0.0, name, frozenset(by_sea), frozenset(as_port))

    def _sea_exclusions(self, req: RouteRequest) -> set[str]:
        passages, basins = set(req.exclude_passages), set(req.exclude_basins)
        if not passages and not basins:
            return set()
        return {
            lk.id for lk in self._sea_links if passages & set(lk.passages) or lk.basin in basins
        }

    def risk_pricing(self, req: RouteRequest) -> RiskPricing | None:
        """The request's profile priced on this graph (None for ``none``)."""
        return self.pricing_of(req.risk_profile)

    def pricing_of(self, profile_name: str) -> RiskPricing | None:
        """A profile priced on this graph (None for one that prices nothing); unknown profiles
        are refused with the known ones."""
        profiles = self.network.risk.profiles
        profile = profiles.get(profile_name)
        if profile is None:
            raise RequestError(
                f"risk_profile: unknown profile {profile_name!r}; known: "
                + ", ".join(sorted(profiles)),
                kind="profile-not-found",
            )
        if not profile.premiums:
            return None
        with self._lock:
            pricing = self._risk.get(profile.name)
        if pricing is None:
            pricing = RiskPricing(self.network, self.graph, profile)
            with self._lock:
                self._risk[profile.name] = pricing
        return pricing

    def risk_exclusions(self, req: RouteRequest) -> dict[str, str]:
        """Countries the request's risk rules keep the route out of, with the rule and why."""
        risk = self.network.risk
        out: dict[str, str] = {}
        if req.max_risk_score is not None:
            for c, sec in risk.security.items():
                if sec.score > req.max_risk_score and c in self._countries:
                    out[c] = f"max_risk_score: {c} scores {sec.score:g} ({sec.index} {sec.year})"
        if req.avoid_sanctioned:
            self.risk_pricing(req)  # an unknown profile is refused first
            profile = risk.profiles[req.risk_profile]
            if not profile.observes:
                raise RequestError(
                    f"avoid_sanctioned: needs a risk profile that observes sanctions; profile "
                    f"{profile.name!r} observes none",
                    kind="constraint-conflict",
                )
            for c in sorted(risk.sanctioned(profile, set(profile.avoid_scopes)) & self._countries):
                regimes = ", ".join(
                    f"{s.imposed_by} {s.scope}"
                    for s in risk.regimes_on(c, profile)
                    if s.scope in profile.avoid_scopes
                )
                out[c] = f"avoid_sanctioned ({req.risk_profile}): {c} is under {regimes}"
        return out

    def _area_exclusions(self, req: RouteRequest) -> tuple[frozenset[str], frozenset[str]]:
        """Links, crossings and places that meet the request's avoid areas."""
        if not req.avoid_areas:
            return frozenset(), frozenset()
        areas = parse_areas(req.avoid_areas)
        with self._lock:
            index = self._areas
        if index is None:
            index = AreaIndex(self.network)
            with self._lock:
                self._areas = index
        return index.excluded(areas)

    def _transit_exclusions(self, req: RouteRequest) -> frozenset[tuple[str, str]]:
        """(mode, country) pairs ``require_transit_regime`` forbids: road outside TIR, rail
        outside COTIF and OSJD."""
        if not req.require_transit_regime:
            return frozenset()
        risk = self.network.risk
        tir, rail = risk.members("TIR"), risk.members("COTIF") | risk.members("OSJD")
        return frozenset(
            [("road", c) for c in self._countries - tir]
            + [("rail", c) for c in self._countries - rail]
        )

    def value_of_time(self, req: RouteRequest) -> float:
        """USD per unit-hour: the request's own, else the cargo class's."""
        vot = req.value_of_time_usd_per_unit_h
        return (
            self.network.params.cargo[req.cargo].value_of_time_usd_per_unit_h
            if vot is None
            else vot
        )

    def _modes(self, req: RouteRequest) -> frozenset[str]:
        """Allowed modes: the request's, else the surface modes; air only for cargo that flies."""
        if req.modes is None:
            return frozenset(SURFACE_MODES)
        if "air" in req.modes and self.network.params.cargo[req.cargo].is_container:
            raise RequestError(
                f"modes: air is for cargo in tonnes; {req.cargo} is carried in containers, "
                "which do not fly (use cargo 'bulk' for air freight by the tonne)"
            )
        return frozenset(req.modes)

    def _check(self, req: RouteRequest) -> _Resolved:
        validate_request(req, self.limits)
        origin, destination = self.resolve(req.origin), self.resolve(req.destination)
        if origin == destination:
            raise RequestError(
                "origin and destination are the same location", kind="constraint-conflict"
            )
        filters = self.filters(req)
        countries, excluded_locs = filters.exclude_countries, filters.exclude_locations
        stages = [
            StageRule(frozenset([self.resolve(v.location)]), v.dwell_h, f"via {v.location}")
            for v in req.via
        ]
        stages += [self._gate(g, f"pass {'|'.join(g)}") for g in req.gates]
        if req.one_of:
            stages.append(self._gate(req.one_of, f"one of {', '.join(req.one_of)}"))

        def excluded(loc_id: str) -> bool:
            return loc_id in excluded_locs or self.network.locations[loc_id].country in countries

        for loc_id in (origin, destination):
            if excluded(loc_id):
                why = self._exclusion_reason(req, loc_id)
                raise RequestError(
                    f"{loc_id} must be on the route but is excluded"
                    + (f" by {why}" if why else ""),
                    kind="constraint-conflict",
                )
        for stage in stages:
            if all(excluded(x) for x in stage.locations):
                raise RequestError(
                    f"{stage.name}: every place of this rule is excluded",
                    kind="constraint-conflict",
                )
        return _Resolved(origin, destination, filters, tuple(stages), self.value_of_time(req))

    def _exclusion_reason(self, req: RouteRequest, loc_id: str) -> str | None:
        """Which risk or area rule excludes a place (for the error only: recomputed then)."""
        if loc_id in self._area_exclusions(req)[1]:
            return "avoid_areas"
        return self.risk_exclusions(req).get(self.network.locations[loc_id].country)

    def filters(self, req: RouteRequest) -> Filters:
        """The hard exclusions of a request (countries, places, links, passages, basins,
        modes, year) as the filter of an edge mask; unknown codes and ids are refused."""
        countries = {c.upper() for c in req.exclude_countries}
        unknown = sorted(countries - self._countries)
        if unknown:
            raise RequestError(f"unknown or absent country code(s): {', '.join(unknown)}")
        countries |= set(self.risk_exclusions(req))
        excluded_locs = frozenset(self.resolve(x) for x in req.exclude_locations)
        bad_links = sorted(set(req.exclude_links) - set(self.graph.ref_edges))
        if bad_links:
            raise RequestError(f"unknown link or crossing id(s): {', '.join(bad_links)}")
        area_refs, area_places = self._area_exclusions(req)
        return Filters(
            exclude_countries=frozenset(countries),
            exclude_locations=excluded_locs | area_places,
            exclude_links=frozenset(req.exclude_links) | self._sea_exclusions(req) | area_refs,
            modes=self._modes(req),
            year=req.year,
            exclude_mode_countries=self._transit_exclusions(req),
        )

    def mask(self, filters: Filters) -> BoolArray:
        """The edge mask of a filter (cached per router)."""
        return self._mask(filters)

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
        stage_key = tuple(s.nodes for s in p.stages)
        key = (req.objective, req.cargo, vot, req.risk_profile, r.filters, stage_key)
        with self._lock:
            prepared = self._prepared.get(key)
            if prepared is not None:
                self._prepared.move_to_end(key)
                return prepared
        if p.stages:
            prepared = LayeredPrepared(self.graph, p.weights, p.mask, [s.nodes for s in p.stages])
        else:
            prepared = PreparedGraph(self.graph, p.weights, p.mask)
        with self._lock:
            self._prepared[key] = prepared
            while len(self._prepared) > CACHE_SIZE:
                self._prepared.popitem(last=False)
        return prepared

    def _stage_nodes(self, s: StageRule) -> frozenset[int]:
        """The nodes that meet a rule: every node of a place, or its ship nodes (a ship arriving
        there or leaving from there, a wagon or truck landing off a vehicle ferry; and its start
        and end nodes for ``@port``)."""
        nodes: set[int] = set()
        for loc in s.locations:
            if loc in s.by_sea:
                ends = (SRC, DST) if loc in s.as_port else ()
                for state in ("sea", arrival("sea"), *_FERRY_LANDINGS, *ends):
                    node = self.graph.node_index.get((loc, state))
                    nodes.update([] if node is None else [node])
            else:
                nodes.update(self._loc_nodes.get(loc, ()))
        return frozenset(nodes)

    def _problem(self, req: RouteRequest, r: _Resolved) -> PathProblem:
        g = self.graph
        stages = [Stage(self._stage_nodes(s), s.dwell_h) for s in r.stages]
        per_unit_cost = None if req.max_cost_usd is None else req.max_cost_usd / req.quantity
        risk = self.risk_pricing(req)
        return PathProblem(
            graph=g,
            mask=self._mask(r.filters),
            source=g.node_index[(r.origin, SRC)],
            target=g.node_index[(r.destination, DST)],
            weights=objective_weights(
                g, req.objective, req.cargo, r.vot, None if risk is None else risk.usd(req.cargo)
            ),
            cost_usd=g.cost_usd[req.cargo],
            max_time_h=req.max_hours,
            max_cost_usd=per_unit_cost,
            max_borders=req.max_borders,
            stages=stages,
            time_limit_s=req.time_limit_s,
        )

    def problem(self, req: RouteRequest) -> PathProblem:
        """The checked path problem of ``req`` (mask, stages, objective weights), for tools
        that re-solve it with other weights (uncertainty); raises like :meth:`route`."""
        return self._problem(req, self._check(req))

    def _solve(
        self,
        p: PathProblem,
        solver: Solver,
        prepared: PreparedGraph | LayeredPrepared | None = None,
    ) -> PathResult:
        if solver == "mip":
            from corridors.solvers.mip import solve_mip  # OR-Tools loads only when asked for

            return solve_mip(p)
        if solver == "labels" or (p.has_side_rules and prepared is None):
            return best_under_budgets(p)
        if prepared is not None:
            path = prepared.path(p.source, p.target)
            name = "dijkstra-layered" if p.stages else "dijkstra"
        else:
            path = shortest_path(p.graph, p.weights, p.mask, p.source, p.target)
            name = "dijkstra"
        if path is None:
            return PathResult([], float("inf"), name, "infeasible")
        return PathResult(path, float(np.sum(p.weights[path])), name, "optimal")

    def _explain(
        self, req: RouteRequest, r: _Resolved, path: Sequence[int], solver: SolverInfo
    ) -> Route:
        return self.explainer.explain(
            path,
            cargo=req.cargo,
            quantity=req.quantity,
            objective=req.objective,
            origin=r.origin,
            destination=r.destination,
            stages=r.stages,
            solver=solver,
            risk=self.risk_pricing(req),
        )

    def route(self, req: RouteRequest) -> Route:
        """The best route for ``req``.

        Raises
        ------
        RequestError
            A bad request (unknown place with suggestions, bad option, limit exceeded).
        NoRouteError
            No route joins the places; :class:`~corridors.errors.InfeasibleError` when no
            route meets the rules, naming them and the best route without them.
        SolverError
            The solver failed or hit its time limit without a route.
        """
        check_deadline()
        started = time.perf_counter()
        r = self._check(req)
        p = self._problem(req, r)
        solver = choose_solver(req)
        prepared = self._prepared_graph(req, r, p) if solver == "dijkstra" else None
        result = self._solve(p, solver, prepared)
        result = self._simple(req, r, p, result)
        if result.status == "infeasible":
            raise self._diagnose(req)
        info = SolverInfo(
            name=result.solver,
            status=result.status,
            elapsed_ms=round((time.perf_counter() - started) * 1000.0, 3),
            objective_per_unit=result.objective,
        )
        return self._explain(req, r, result.edges, info)

    # ---- infeasibility -----------------------------------------------------------------
    def _revisited(self, path: Sequence[int]) -> str | None:
        """The first place a path leaves and comes back to, if any."""
        g = self.graph
        seen: set[int] = set()
        last = -1
        for e in path:
            here = int(g.head_loc[e])
            if here != last:
                if here in seen:
                    return g.loc_ids[here]
                seen.add(here)
                last = here
        return None

    def _simple(
        self, req: RouteRequest, r: _Resolved, p: PathProblem, result: PathResult
    ) -> PathResult:
        """A simple path (no place twice) when the request asks for one.

        A revisiting answer is replaced by the exact elementary search.  With ordered stages
        (via points, gates) that search gets a bounded effort (``SIMPLE_SEARCH_LABELS``); when
        it finds nothing within it, the rules force an out-and-back detour, reported as
        infeasible under ``simple_path`` naming the place."""
        if not req.simple_path or result.status == "infeasible":
            return result
        place = self._revisited(result.edges)
        if place is None:
            return result
        p.simple = True
        if not p.stages:
            return best_under_budgets(p)
        try:  # with stages the exact search can grow: bounded, deterministic effort
            return best_under_budgets(p, max_pops=SIMPLE_SEARCH_LABELS)
        except SolverError as err:
            if err.status != "label_limit":
                raise
        info = SolverInfo(result.solver, "revisits", 0.0)
        best = best_without(self._explain(req, r, result.edges, info).summary)
        raise InfeasibleError(
            ["simple_path"],
            f"the best route from {req.origin} to {req.destination} under these rules goes out "
            f"and back through {place} (a place visited twice)",
            best,
        )

    def _feasible(self, req: RouteRequest) -> bool:
        r = self._check(req)
        p = self._problem(req, r)
        try:
            result = self._simple(req, r, p, self._solve(p, choose_solver(req)))
        except InfeasibleError:
            return False
        return result.status != "infeasible"

    def _diagnose(self, req: RouteRequest) -> NoRouteError:
        return diagnose(req, feasible=self._feasible, route=self.route)

    # ---- Pareto ------------------------------------------------------------------------
    def pareto(
        self, req: RouteRequest, *, include_co2: bool = False, epsilon: float = 0.0
    ) -> ParetoResult:
        """Every non-dominated route for cost vs time (and CO2 if asked), cheapest first."""
        if req.max_borders is not None:
            raise RequestError("max_borders is not supported for the Pareto frontier")
        if not 0.0 <= epsilon < 1.0:
            raise RequestError("epsilon must be in [0, 1)")
        check_deadline()
        started = time.perf_counter()
        r = self._check(req)
        p = self._problem(req, r)
        g = self.graph
        risk = self.risk_pricing(req)
        money = (
            g.cost_usd[req.cargo] if risk is None else g.cost_usd[req.cargo] + risk.usd(req.cargo)
        )
        criteria = [money, g.time_h] + ([g.co2_kg[req.cargo]] if include_co2 else [])
        found = pareto_frontier(
            g, p.mask, p.source, p.target, criteria, stages=p.stages, time_limit_s=req.time_limit_s
        )
        found = [f for f in found if within_budgets(f[0], p.max_cost_usd, req.max_hours)]
        if not found:
            raise self._diagnose(req)
        found.sort(key=lambda f: (f[0][0], f[0][1]))
        found = thin(found, epsilon)
        info = SolverInfo(
            "labels", "optimal", round((time.perf_counter() - started) * 1000.0, 3), None
        )
        cost_time = [(c[0], c[1]) for c, _ in found]
        flips = flip_values(cost_time)
        ranges = value_of_time_ranges(cost_time)
        points = tuple(
            ParetoPoint(self._explain(req, r, path, info), flips[i], ranges[i])
            for i, (_, path) in enumerate(found)
        )
        names = ("cost", "time", "co2")[: len(criteria)]
        return ParetoResult(points, names, info)
