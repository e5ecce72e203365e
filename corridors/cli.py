"""The ``corridors`` command: thin wrappers over the library; logging is configured here.

Commands: validate, refresh-estimates, info, locations, export-network, route, pareto, compare,
map, risk,
scenario run, calibrate, alternatives, matrix, criticality, assign, uncertainty, breakeven, bench,
serve.  Human tables by default, ``--json`` for machines.  ``--data DIR`` (before the
command) chooses the network for every command.  Exit codes: 0 ok, 1 data invalid or no route,
2 bad request (unknown place...).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from corridors import __version__
from corridors.charts import chart_format
from corridors.data import load_network
from corridors.errors import (
    CorridorsError,
    DataValidationError,
    InfeasibleError,
    NoRouteError,
    RequestError,
    ScenarioError,
)
from corridors.model import MODES, Network
from corridors.request import (
    BASINS,
    CARGO_CLASSES,
    OBJECTIVES,
    SOLVERS,
    RouteRequest,
    request_from_options,
)
from corridors.routing import Router
from corridors.views.export import FORMATS
from corridors.views.routes import (
    location_dict,
    network_info,
    pareto_point_dict,
    route_dict,
    route_text,
    table,
)


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False))


def _format(args: argparse.Namespace) -> str:
    """``--format``, with ``--json`` as its short form; ``text`` by default."""
    fmt = getattr(args, "format", None)
    return str(fmt) if fmt else ("json" if getattr(args, "json", False) else "text")


def _emit(
    args: argparse.Namespace,
    what: str,
    *,
    text: Callable[[], None],
    data: Callable[[], Any],
    rows: Callable[[], list[dict[str, Any]]] | None = None,
    geojson: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """Print a result in the chosen format: a human table (``text``), JSON, CSV or Markdown
    rows, or GeoJSON."""
    from corridors.views.export import to_csv, to_markdown, unsupported

    fmt = _format(args)
    if fmt == "text":
        text()
    elif fmt == "json":
        _print_json(data())
    elif fmt in ("csv", "md") and rows is not None:
        table_rows = rows()
        sys.stdout.write(to_csv(table_rows) if fmt == "csv" else to_markdown(table_rows))
    elif fmt == "geojson" and geojson is not None:
        _print_json(geojson())
    else:
        allowed = (
            ["text", "json"] + (["csv", "md"] if rows else []) + (["geojson"] if geojson else [])
        )
        raise unsupported(what, fmt, allowed)


def _data_dir(args: argparse.Namespace) -> Path:
    """The one place the data directory is resolved: ``--data``, else the bundled network."""
    from corridors.data import default_data_dir

    given = getattr(args, "data_dir", None) or args.data
    return Path(given) if given else default_data_dir()


def _load(args: argparse.Namespace) -> Network:
    return load_network(_data_dir(args))


def cmd_validate(args: argparse.Namespace) -> int:
    net = load_network(_data_dir(args), check_geometry=True)
    info = network_info(net)
    print(
        f"valid: {info['locations']} locations, {info['links']} links, "
        f"{info['border_crossings']} border crossings, {len(info['countries'])} countries, "
        f"{info['sourced_share']:.0%} of link distances sourced (version {info['version']})"
    )
    return 0


def cmd_refresh_estimates(args: argparse.Namespace) -> int:
    from corridors.data.estimates import refresh_estimates

    data_dir = _data_dir(args)
    changes = refresh_estimates(data_dir, write=not args.check)
    for line in changes:
        print(line)
    verb = "would change" if args.check else "changed"
    print(f"{len(changes)} estimated distance(s) {verb} in {data_dir}")
    return 1 if args.check and changes else 0


def cmd_info(args: argparse.Namespace) -> int:
    info = network_info(_load(args))
    if args.json:
        _print_json(info)
        return 0
    print(
        f"network {info['version']}: {info['locations']} locations, {info['links']} links, "
        f"{info['border_crossings']} border crossings"
    )
    rows = [
        [m, str(n), ", ".join(f"{k} {v}" for k, v in s.items())]
        for m, s in info["links_by_mode"].items()
        for n in [sum(s.values())]
    ]
    print(table(rows, ["mode", "links", "by status"]))
    print(
        "countries: " + ", ".join(f"{c} ({v['locations']})" for c, v in info["countries"].items())
    )
    print(
        f"sourced link distances: {info['sourced_share']:.1%} of links, "
        f"{info['sourced_share_km']:.1%} of km ({info['distance_sources']['published']} published, "
        f"{info['distance_sources']['computed']} computed on a named network, "
        f"{info['distance_sources']['estimate']} estimated)"
    )
    return 0


def cmd_locations(args: argparse.Namespace) -> int:
    net = _load(args)
    locs = [
        loc
        for loc in net.locations.values()
        if args.country is None or loc.country == args.country.upper()
    ]
    data = [location_dict(net, loc) for loc in sorted(locs, key=lambda x: (x.country, x.id))]
    if args.json:
        _print_json(data)
        return 0
    rows = [
        [
            d["id"],
            d["name"],
            "; ".join(d["aliases"]),
            d["country"],
            d["kind"],
            f"{d['lat']:.4f}",
            f"{d['lon']:.4f}",
            ",".join(d["modes"]),
        ]
        for d in data
    ]
    print(table(rows, ["id", "name", "aliases", "country", "kind", "lat", "lon", "modes"]))
    return 0


def _request(args: argparse.Namespace) -> RouteRequest:
    """The CLI's options as a request (through the one conversion shared with the API)."""

    def split(value: str | None) -> list[str] | None:
        return value.split(",") if value else None

    return request_from_options(
        {
            "origin": args.origin,
            "destination": args.destination,
            "objective": args.objective,
            "cargo": args.cargo,
            "quantity": args.quantity,
            "value_of_time_usd_per_unit_h": args.value_of_time,
            "modes": split(args.modes),
            "exclude_countries": args.exclude_country,
            "exclude_locations": args.exclude_location,
            "exclude_links": args.exclude_link,
            "exclude_passages": args.exclude_passage,
            "exclude_basins": args.exclude_basin,
            "year": args.year,
            "via": args.via,
            "one_of": split(args.one_of),
            "gates": [g.split(",") for g in args.gate or []] or None,
            "max_hours": args.max_hours,
            "max_cost_usd": args.max_cost,
            "max_borders": args.max_borders,
            "solver": args.solver,
            "time_limit_s": args.time_limit,
            "risk_profile": args.risk_profile,
            "avoid_sanctioned": args.avoid_sanctioned or None,
            "require_transit_regime": args.require_transit_regime or None,
            "max_risk_score": args.max_risk_score,
            "avoid_areas": [_read_area(x) for x in args.avoid_area] if args.avoid_area else None,
        }
    )


def _read_area(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RequestError(f"--avoid-area {path}: cannot read: {err}") from None


def cmd_route(args: argparse.Namespace) -> int:
    from corridors.geojson import route_geojson
    from corridors.views.export import route_rows

    router = Router(_load(args))
    route = router.route(_request(args))
    _emit(
        args,
        "a route",
        text=lambda: print(route_text(route)),
        data=lambda: route_dict(route),
        rows=lambda: route_rows(route_dict(route)),
        geojson=lambda: route_geojson(router.network, route),
    )
    return 0


def cmd_pareto(args: argparse.Namespace) -> int:
    router = Router(_load(args))
    result = router.pareto(_request(args), include_co2=args.co2, epsilon=args.epsilon)
    if args.chart:
        from corridors.charts import chart_footnote, pareto_chart

        net = router.network
        names = {loc.id: loc.name for loc in net.locations.values()}
        routes = [p.route for p in result.points]
        what = "each point a route on the cost/time frontier"
        note = chart_footnote(net.version, routes[0], what=what)
        chart = pareto_chart(routes, chart_format(args.chart), names=names, footnote=note)
        Path(args.chart).write_bytes(chart)
    points = [pareto_point_dict(p) for p in result.points]
    if args.json:
        _print_json(
            {"criteria": list(result.criteria), "points": points, "solver": asdict(result.solver)}
        )
        return 0
    rows = []
    for i, p in enumerate(points):
        s, flip, vot = (
            p["summary"],
            p["flip_value_of_time_usd_per_unit_h"],
            p["optimal_for_value_of_time"],
        )
        best_for = (
            ""
            if vot is None
            else f"{vot['from']:,.2f} - " + ("" if vot["to"] is None else f"{vot['to']:,.2f}")
        )
        rows.append(
            [
                str(i + 1),
                f"{s['cost_usd']:,.0f}",
                f"{s['time_days']:,.1f}",
                f"{s['co2_kg']:,.0f}",
                "" if flip is None else f"{flip:,.2f}",
                best_for,
                " > ".join(s["countries"]),
                ", ".join(s["signature"]),
            ]
        )
    print(
        f"{len(rows)} non-dominated route(s), cheapest first; 'VoT flip' is the value of time "
        "(USD per unit-hour) above which a route beats the cheaper one before it; 'best for VoT' "
        "the range over which it minimises cost + VoT x time (blank: for no VoT)"
    )
    print(
        table(
            rows,
            ["#", "USD", "days", "kg CO2e", "VoT flip", "best for VoT", "countries", "signature"],
        )
    )
    return 0


def _corridor_row(i: int, r: Any) -> list[str]:
    """One row of the comparison table: a route's numbers and its gap to the best, or why not."""
    status = r.status.replace("_", " ")
    if r.route is None:
        return [str(i), r.corridor.name, status, "", "", "", "", "", "", "", r.reason or ""]
    s, share, gap = r.route.summary, r.iran_share or {}, r.gap or {}
    return [
        str(i),
        r.corridor.name,
        status,
        f"{s.cost_usd:,.0f}",
        f"{s.risk_usd:,.0f}",
        f"{s.time_days:,.1f}",
        "" if not gap else f"{gap['cost_usd']:+,.0f}",
        "" if not gap else f"{gap['time_h'] / 24:+,.1f}",
        str(s.border_crossings),
        f"{share.get('cost', 0):.0%}",
        " > ".join(s.countries),
    ]


def cmd_map(args: argparse.Namespace) -> int:
    from corridors.webmap import map_file

    router = Router(_load(args))
    html = map_file(
        router, _request(args), with_comparison=not args.route_only, tile_url=args.tile_url
    )
    out = _write_whole(Path(args.out), html)
    print(f"map written to {out} ({len(html) / 1e6:.1f} MB; opens offline in any browser)")
    return 0


def _write_whole(out: Path, text: str) -> Path:
    """Write ``text`` to ``out`` through a temporary name: never a half-written file there."""
    partial = out.with_name(out.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out


def cmd_export_network(args: argparse.Namespace) -> int:
    from corridors.geojson import network_geojson
    from corridors.views.export import network_rows, to_csv

    net = _load(args)
    if args.format == "geojson":
        text = json.dumps(network_geojson(net, with_sources=True), ensure_ascii=False) + "\n"
    else:
        text = to_csv(network_rows(net))
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = _write_whole(Path(args.out), text)
    print(f"network ({len(net.links)} links, {len(net.borders)} crossings) written to {out}")
    return 0


def cmd_risk(args: argparse.Namespace) -> int:
    from corridors.views.risk import risk_dict, risk_text

    net = _load(args)
    if args.json:
        _print_json(risk_dict(net))
    else:
        print(risk_text(net))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from corridors.charts import chart_footnote, tcd_chart
    from corridors.compare import compare
    from corridors.views.comparison import comparison_dict

    router = Router(_load(args))
    ids = args.corridors.split(",") if args.corridors else None
    cmp = compare(router, _request(args), ids)
    if args.chart:
        routes = [(r.corridor.name, r.route) for r in cmp.results if r.route][: args.chart_routes]
        fmt = chart_format(args.chart)
        net = router.network
        names = {loc.id: loc.name for loc in net.locations.values()}
        vot = cmp.value_of_time_usd_per_unit_h
        note = chart_footnote(net.version, routes[0][1], vot) if routes else None
        Path(args.chart).write_bytes(tcd_chart(routes, fmt, names=names, footnote=note))
    if args.bars:
        from corridors.charts import comparison_chart

        drawn = [
            (r.corridor.name, r.route, r.corridor.through_iran)
            for r in cmp.results
            if r.route and r.status in ("ranked", "not_competitive")
        ]
        if drawn:
            note = chart_footnote(
                router.network.version, drawn[0][1], cmp.value_of_time_usd_per_unit_h, "ranked"
            )
            origin, destination = (
                router.network.locations[x].name
                for x in (
                    router.resolve(cmp.request.origin),
                    router.resolve(cmp.request.destination),
                )
            )
            chart = comparison_chart(
                drawn,
                chart_format(args.bars),
                title=f"Corridors: {origin} to {destination}",
                footnote=note,
            )
            Path(args.bars).write_bytes(chart)
    from corridors.views.export import comparison_rows, routes_geojson

    _emit(
        args,
        "a comparison",
        text=lambda: _compare_text(cmp),
        data=lambda: comparison_dict(cmp, route_dict),
        rows=lambda: comparison_rows(comparison_dict(cmp, route_dict)),
        geojson=lambda: routes_geojson(
            router.network, [(r.corridor.id, r.route) for r in cmp.results if r.route]
        ),
    )
    if args.chart:
        print(f"chart written to {args.chart}", file=sys.stderr)
    return 0


def _compare_text(cmp: Any) -> None:
    req = cmp.request
    vot = (
        f", value of time {cmp.value_of_time_usd_per_unit_h:,.2f} USD per {req.cargo} unit-hour"
        if req.objective == "generalized"
        else ""
    )
    print(
        f"{req.origin} -> {req.destination}: corridors ranked by {req.objective}{vot} "
        f"({req.quantity:g} x {req.cargo}); not competitive = over {cmp.detour_factor:g}x the best"
    )
    if cmp.best_overall is not None:
        s = cmp.best_overall.summary
        label = ", ".join(cmp.best_follows) or "direct (no named corridor)"
        share = cmp.best_iran_share or {}
        print(
            f"best route of all: {s.cost_usd:,.0f} USD, {s.time_days:,.1f} days, "
            f"{s.distance_km:,.0f} km, follows {label}; in Iran: {share.get('cost', 0):.0%} of "
            f"cost, {share.get('time', 0):.0%} of time, {share.get('distance', 0):.0%} of km"
        )
    rows = []
    for i, r in enumerate(cmp.results, 1):
        rows.append(_corridor_row(i, r))
    print(
        table(
            rows,
            [
                "#",
                "corridor",
                "status",
                "USD",
                "risk USD",
                "days",
                "+USD",
                "+days",
                "borders",
                "in Iran",
                "countries / reason",
            ],
        )
    )
    t, a, d = cmp.best_through_iran, cmp.best_avoiding_iran, cmp.delta
    if t is not None and t.route is not None and a is not None and d is not None:
        print(
            f"\nbest through Iran: {t.corridor.name}, {t.route.summary.cost_usd:,.0f} USD, "
            f"{t.route.summary.time_days:,.1f} days; best avoiding Iran: "
            f"{a.summary.cost_usd:,.0f} USD, {a.summary.time_days:,.1f} days "
            f"({' > '.join(a.summary.countries)})"
        )
        print(
            f"through Iran minus avoiding Iran: {d['cost_usd']:+,.0f} USD, "
            f"{d['risk_usd']:+,.0f} USD risk ({req.risk_profile}), "
            f"{d['time_h'] / 24:+,.1f} days, {d['co2_kg']:+,.0f} kg CO2e, "
            f"{d['border_crossings']:+.0f} borders"
        )
    elif cmp.avoiding_reason:
        print(f"\nno route avoiding Iran: {cmp.avoiding_reason}")


def cmd_scenario_run(args: argparse.Namespace) -> int:
    from corridors.scenarios import load_scenario, run_scenario
    from corridors.views.comparison import scenario_result_dict
    from corridors.views.export import scenario_rows

    router = Router(_load(args))
    sc = load_scenario(Path(args.file), router)
    results = [scenario_result_dict(r) for r in run_scenario(router, sc)]
    _emit(
        args,
        "a scenario run",
        text=lambda: _scenario_text(sc, results),
        data=lambda: {"scenario": sc.id, "name": sc.name, "results": results},
        rows=lambda: scenario_rows(results),
    )
    return 0


def _scenario_text(sc: Any, results: list[dict[str, Any]]) -> None:
    print(f"{sc.name}: {sc.description}")
    print("USD: transport cost + the priced risk of the query's shipper profile (none: no risk)")
    rows = []
    for r in results:
        best, d = r["scenario"]["best"], r["diff"]["best"]
        rows.append(
            [
                r["origin"],
                r["destination"]
                + ("" if r["risk_profile"] == "none" else f" ({r['risk_profile']})"),
                "no route" if best is None else f"{best['total_usd']:,.0f}",
                "" if not d else f"{d['total_usd']:+,.0f}",
                "" if not d else f"{d['risk_usd']:+,.0f}",
                "" if not d else f"{d['time_h'] / 24:+,.1f}",
                f"{r['baseline']['best_corridor']} -> {r['scenario']['best_corridor']}",
            ]
        )
    print(
        table(
            rows,
            [
                "origin",
                "destination",
                "scenario USD",
                "delta USD",
                "of which risk",
                "delta days",
                "best corridor",
            ],
        )
    )


def cmd_calibrate(args: argparse.Namespace) -> int:
    from corridors.calibrate import load_calibration, run_calibration, summary
    from corridors.views.calibration import calibration_dict, calibration_markdown

    net = _load(args)
    results = run_calibration(Router(net), load_calibration(net))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        report = calibration_dict(results, net.version)
        (out / "calibration.json").write_text(json.dumps(report, indent=1) + "\n")
        (out / "calibration.md").write_text(calibration_markdown(results, net.version))
    if args.json:
        _print_json(calibration_dict(results, net.version))
        return 0
    rows = [
        [
            r.row.id,
            r.row.use,
            f"{r.row.low:,.1f}" + ("" if r.row.low == r.row.high else f"-{r.row.high:,.1f}"),
            "" if r.model is None else f"{r.model:,.1f}",
            "" if r.ratio is None else f"{r.ratio:.2f}",
            r.verdict,
        ]
        for r in results
    ]
    print(table(rows, ["row", "use", "published", "model", "ratio", "verdict"]))
    s = summary(results)
    print(
        f"\n{s['within']} of {s['modelled']} modelled validation rows within band "
        f"({s['share_within']:.0%}); {s['validation_rows'] - s['modelled']} not modelled"
    )
    for kind, c in s["by_kind"].items():
        print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in c.items()))
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from dataclasses import replace as _replace

    from corridors.scenarios import apply_changes, load_scenario
    from corridors.trade.assign import assign_logit, assign_lp
    from corridors.trade.load import demands_from, load_trade
    from corridors.views.trade import (
        assignment_dict,
        assignment_markdown,
        csv_tables,
        iran_share_chart,
    )

    base = Router(_load(args))
    data = load_trade(base.network)
    router, trade_scale = base, {}
    if args.scenario:
        sc = load_scenario(Path(args.scenario), base)
        router = Router(apply_changes(base.network, sc.changes))
        trade_scale = {tuple(k.split("-", 1)): v for k, v in sc.changes.trade_scale.items()}
        scaled = [
            _replace(c, t_per_yr=c.t_per_yr * sc.changes.capacity_scale.get(c.element, 1.0))
            for c in data.capacities
        ]
        data = _replace(data, capacities=tuple(scaled))
    demands = demands_from(data, trade_scale=trade_scale)  # type: ignore[arg-type]
    solve = assign_lp if args.method == "lp" else assign_logit
    views = {}
    runs = [("capacitated", data.capacities)]
    if not args.capacitated_only:
        runs.append(("uncapacitated", ()))
    profile = "" if args.risk_profile == "none" else f", risk profile {args.risk_profile}"
    for label, caps in runs:
        views[f"{args.method}, {label}{profile}"] = assignment_dict(
            router, demands, solve(router, demands, caps, risk_profile=args.risk_profile)
        )
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "assignment.json").write_text(json.dumps(views, indent=1) + "\n")
        (out / "assignment.md").write_text(assignment_markdown(views))
        first = next(iter(views.values()))
        for name, text in csv_tables(first).items():
            (out / name).write_text(text)
        (out / "iran_shares.png").write_bytes(iran_share_chart(first))
    if args.json:
        _print_json(views)
        return 0
    print(assignment_markdown(views))
    return 0


def cmd_alternatives(args: argparse.Namespace) -> int:
    from corridors.alternatives import alternatives
    from corridors.views.export import alternatives_rows, routes_geojson
    from corridors.views.routes import alternative_dict

    router = Router(_load(args))
    found = alternatives(router, _request(args), k=args.k, max_factor=args.max_factor)
    _emit(
        args,
        "alternatives",
        text=lambda: _alternatives_text(found, args.max_factor),
        data=lambda: [alternative_dict(a) for a in found],
        rows=lambda: alternatives_rows([alternative_dict(a) for a in found]),
        geojson=lambda: routes_geojson(
            router.network, [(f"alternative {i}", a.route) for i, a in enumerate(found, 1)]
        ),
    )
    return 0


def _alternatives_text(found: Any, max_factor: float) -> None:
    from corridors.alternatives import trade_off

    rows = [
        [
            str(i),
            f"{a.route.summary.cost_usd:,.0f}",
            f"{a.route.summary.time_days:,.1f}",
            trade_off(a),
            " > ".join(a.route.summary.countries),
            ", ".join(a.key_elements),
        ]
        for i, a in enumerate(found, 1)
    ]
    print(f"{len(found)} distinct route(s), within {max_factor:g}x the best")
    print(
        table(
            rows, ["#", "USD", "days", "against the best", "countries", "crossings and sea links"]
        )
    )


def _places(value: str | None, net: Network, everything: bool) -> list[str]:
    if everything:
        return sorted(net.locations)
    return [x.strip() for x in (value or "").split(",") if x.strip()]


def cmd_matrix(args: argparse.Namespace) -> int:
    import csv as _csv

    from corridors.matrix import od_matrix
    from corridors.views.export import flat_rows, matrix_rows, to_markdown

    router = Router(_load(args))
    origins = _places(args.from_, router.network, args.all)
    destinations = _places(args.to, router.network, args.all) if not args.all else origins
    base = RouteRequest(
        origins[0] if origins else "",
        destinations[0] if destinations else "",
        objective=args.objective,
        cargo=args.cargo,
        risk_profile=args.risk_profile,
    )
    with_corridors = len(origins) * len(destinations) <= 10_000
    cells = od_matrix(router, origins, destinations, base, with_corridors=with_corridors)
    rows = flat_rows(matrix_rows(cells))
    fields = list(rows[0]) if rows else []
    if args.out:
        out = Path(args.out)
        if out.suffix == ".parquet":
            try:
                import pandas as pd  # type: ignore[import-untyped]
            except ImportError:
                raise RequestError("Parquet output needs pandas (and pyarrow) installed") from None
            pd.DataFrame(rows).to_parquet(out)
        else:
            with out.open("w", newline="", encoding="utf-8") as fh:
                w = _csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
                w.writeheader()
                w.writerows(rows)
        print(f"{len(rows)} cells written to {out}")
        return 0
    fmt = args.format or ("json" if args.json else "csv")
    if fmt == "json":
        _print_json(rows)
    elif fmt == "md":
        sys.stdout.write(to_markdown(rows))
    else:
        w = _csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return 0


def cmd_criticality(args: argparse.Namespace) -> int:
    from corridors.criticality import betweenness_screen, criticality

    router = Router(_load(args))
    pairs, weights = _criticality_pairs(router, args.weights)
    ranked = criticality(router, pairs, weights)[: args.top]
    if args.json:
        _print_json(
            {
                "weights": args.weights,
                "pairs": len(pairs),
                "elements": [asdict(c) for c in ranked],
                "betweenness": betweenness_screen(router, args.top),
            }
        )
        return 0
    unit = "t/yr-weighted" if args.weights == "trade" else "per pair"
    rows = [
        [
            str(i),
            c.element,
            c.kind,
            f"{c.cost_increase_usd:,.0f}",
            f"{c.disconnected_pairs}",
            str(c.pairs_affected),
        ]
        for i, c in enumerate(ranked, 1)
    ]
    print(f"closing each element over {len(pairs)} OD pairs ({unit}); largest loss first")
    print(table(rows, ["#", "element", "kind", "+USD (generalized)", "pairs cut", "pairs hit"]))
    return 0


def _criticality_pairs(router: Router, weights: str) -> tuple[list[tuple[str, str]], list[float]]:
    """The OD set: the trade matrix's (tonnes per year as weights), or the scenario suite's."""
    if weights == "trade":
        from corridors.trade.load import demands_from, load_trade

        acc: dict[tuple[str, str], float] = {}
        for d in demands_from(load_trade(router.network)):
            acc[(d.origin, d.destination)] = acc.get((d.origin, d.destination), 0.0) + d.t_per_yr
        return list(acc), list(acc.values())
    from corridors.scenarios import load_scenario

    pairs: set[tuple[str, str]] = set()
    data_dir = router.network.data_dir
    for path in sorted((data_dir / "scenarios").glob("*.toml")) if data_dir else []:
        pairs |= {(q.origin, q.destination) for q in load_scenario(path, router).queries}
    return sorted(pairs), [1.0] * len(pairs)


def _terminal_progress(label: str, done: int, total: int) -> None:
    """A progress bar on stderr, drawn only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done >= total else ""
    print(
        f"\r{label[:40]:40s} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def cmd_bench(args: argparse.Namespace) -> int:
    from corridors.uncertainty.cluster import dask_client
    from corridors.views.suite import run_suite

    data_dir = _data_dir(args)
    router = Router(load_network(data_dir))
    scenario_dir = Path(args.scenarios) if args.scenarios else data_dir / "scenarios"
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(dask_client(args.scheduler)) if args.scheduler else None
        report, timing = run_suite(
            router,
            scenario_dir,
            Path(args.out),
            progress=_terminal_progress,
            charts=not args.no_charts,
            client=client,
        )
    print(
        f"{len(report['scenarios'])} scenarios written to {args.out}/report.md "
        f"(and report.json{'' if args.no_charts else ', charts/'}); a corridor comparison took "
        f"{timing['median_ms']:.0f} ms median, {timing['p99_ms']:.0f} ms p99"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Hand over to the REST service (``python -m api``), which owns its start-up.

    The library never imports ``api``: the service runs as its own module in this process
    (``os.execv``), with the options passed on its command line.  The network is checked first
    so that bad data fails here, with the CLI's message.
    """
    import os

    data_dir = _data_dir(args)
    load_network(data_dir)  # fail fast on bad data
    argv = [sys.executable, "-m", "api", "--data", str(data_dir), "--workers", str(args.workers)]
    if args.host:
        argv += ["--host", args.host]
    if args.port:
        argv += ["--port", str(args.port)]
    if args.verbose:
        argv.append("--verbose")
    sys.stdout.flush()
    os.execv(sys.executable, argv)
    return 0  # not reached


def _evaluator(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from corridors.api import router
    from corridors.uncertainty.evaluate import uncertainty_model
    from corridors.uncertainty.montecarlo import Spec, evaluator_for

    data_dir = str(_data_dir(args)) if args.data else None
    ids = tuple(args.corridors.split(",")) if args.corridors else ()
    spec = Spec(data_dir, _request(args), ids)
    return spec, evaluator_for(spec), uncertainty_model(router(data_dir))


def cmd_uncertainty(args: argparse.Namespace) -> int:
    from corridors.uncertainty.cluster import dask_client
    from corridors.uncertainty.montecarlo import run
    from corridors.views.uncertainty import distribution_chart, montecarlo_dict, montecarlo_text

    spec, ev, model = _evaluator(args)
    model = model.with_spread(args.spread)

    def progress(done: int, total: int) -> None:
        if args.verbose or sys.stderr.isatty():
            print(f"\r{done}/{total} draws", end="" if done < total else "\n", file=sys.stderr)

    with dask_client(args.scheduler, args.workers) as client:
        res = run(
            ev,
            model,
            draws=args.draws,
            seed=args.seed,
            client=client,
            spec=spec,
            progress=progress,
            spread=args.spread,
        )
    network = ev.network.version
    if args.chart:
        Path(args.chart).write_bytes(distribution_chart(res, network, chart_format(args.chart)))
    if args.json:
        _print_json(montecarlo_dict(res, network))
    else:
        print(montecarlo_text(res))
    return 0


def cmd_breakeven(args: argparse.Namespace) -> int:
    from corridors.uncertainty.sensitivity import study
    from corridors.views.uncertainty import breakeven_dict, breakeven_text, tornado_chart

    _, ev, model = _evaluator(args)
    between = tuple(args.between.split(","))
    if len(between) != 2:
        raise RequestError("--between takes two corridor ids: A,B")
    pair = (between[0], between[1])
    found, bars = study(
        ev,
        model,
        pair,
        args.param,
        low=args.low,
        high=args.high,
        tolerance=args.tolerance,
        with_tornado=bool(args.chart),
    )
    if args.chart:
        Path(args.chart).write_bytes(tornado_chart(bars, pair, chart_format(args.chart)))
    network = ev.network.version
    if args.json:
        _print_json(breakeven_dict(found, bars, ev.base.objective, network))
    else:
        print(breakeven_text(found, bars))
    return 0


def _route_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("origin")
    p.add_argument("destination")
    p.add_argument("--objective", default="cost", choices=OBJECTIVES)
    p.add_argument("--cargo", default="container", choices=CARGO_CLASSES)
    p.add_argument("--quantity", type=float, default=1.0, help="units: TEU, or tonnes for bulk")
    p.add_argument("--value-of-time", type=float, help="USD per unit-hour (generalized objective)")
    p.add_argument("--modes", help=f"allowed modes, comma-separated ({','.join(MODES)})")
    p.add_argument("--exclude-country", action="append", metavar="CC")
    p.add_argument("--exclude-location", action="append", metavar="PLACE")
    p.add_argument("--exclude-link", action="append", metavar="ID", help="link or crossing id")
    p.add_argument("--via", action="append", metavar="PLACE[:DWELL_H]", help="in order")
    p.add_argument("--one-of", metavar="PLACE,PLACE", help="route must pass one of these")
    p.add_argument(
        "--gate",
        action="append",
        metavar="PLACE,PLACE",
        help="pass one of these (a place or an ISO country code); repeat for ordered gates",
    )
    p.add_argument("--exclude-passage", action="append", metavar="NAME", help="e.g. ormuz, suez")
    p.add_argument("--exclude-basin", action="append", choices=BASINS)
    p.add_argument(
        "--avoid-area",
        action="append",
        metavar="FILE.geojson",
        help="no link or place meeting this polygon (GeoJSON; repeat for several)",
    )
    p.add_argument("--max-hours", type=float)
    p.add_argument("--max-cost", type=float, help="USD for the whole shipment")
    p.add_argument("--max-borders", type=int)
    p.add_argument("--year", type=int, help="also use lines due to open by this year")
    p.add_argument("--solver", default="auto", choices=SOLVERS)
    p.add_argument("--time-limit", type=float, default=10.0, help="solver time limit, seconds")
    _risk_options(p)
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument(
        "--format", choices=FORMATS, help="output: text (default), json, csv, md, geojson"
    )


def _risk_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--risk-profile",
        metavar="NAME",
        help="who ships: none (default), regional-shipper, western-shipper "
        "(network_data/risk/profiles.toml); its premiums are priced as risk lines",
    )
    p.add_argument(
        "--avoid-sanctioned",
        action="store_true",
        help="never enter a country under sanctions the profile observes",
    )
    p.add_argument(
        "--require-transit-regime",
        action="store_true",
        help="road only in TIR countries, rail only in COTIF (CIM) or OSJD (SMGS) ones",
    )
    p.add_argument(
        "--max-risk-score", type=float, help="never enter a country scoring above this (0-100)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corridors", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"corridors {__version__}")
    parser.add_argument("--data", help="network data directory (default: the bundled network)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check the network data; list every problem")
    p.add_argument("data_dir", nargs="?", help="directory (default: --data, else the bundled one)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser(
        "refresh-estimates", help="re-derive great-circle estimated distances from the coordinates"
    )
    p.add_argument("data_dir", nargs="?", help="directory (default: --data, else the bundled one)")
    p.add_argument("--check", action="store_true", help="only report; exit 1 if any is stale")
    p.set_defaults(func=cmd_refresh_estimates)
    p = sub.add_parser("info", help="counts by mode and status, countries, sourced share")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)
    p = sub.add_parser("locations", help="list locations")
    p.add_argument("--country", metavar="CC")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_locations)
    p = sub.add_parser("route", help="best route between two places")
    _route_options(p)
    p.set_defaults(func=cmd_route)
    p = sub.add_parser("pareto", help="cost/time Pareto frontier between two places")
    _route_options(p)
    p.add_argument("--co2", action="store_true", help="add CO2 as a third criterion")
    p.add_argument("--epsilon", type=float, default=0.0, help="thin points within this share")
    p.add_argument("--chart", metavar="FILE", help="write the frontier as a chart (.png/.svg)")
    p.set_defaults(func=cmd_pareto)
    p = sub.add_parser(
        "map", help="an interactive map in one offline HTML file: the corridors drawn by mode"
    )
    _route_options(p)
    p.add_argument("--out", required=True, metavar="FILE.html")
    p.add_argument("--route-only", action="store_true", help="the best route, no comparison")
    p.add_argument("--tile-url", help="a background tile server of yours ({z}/{x}/{y}); none")
    p.set_defaults(func=cmd_map, objective="generalized")
    p = sub.add_parser(
        "export-network", help="the whole network with attributes and sources (GeoJSON or CSV)"
    )
    p.add_argument("--format", choices=("geojson", "csv"), default="geojson")
    p.add_argument("--out", metavar="FILE", help="default: standard output")
    p.set_defaults(func=cmd_export_network)
    p = sub.add_parser(
        "risk", help="shipper profiles, premiums and sanctions regimes (with sources and dates)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_risk)
    p = sub.add_parser("compare", help="every corridor's best route, and Iran vs the rest")
    _route_options(p)
    p.add_argument("--corridors", help="corridor ids, comma-separated (default: all)")
    p.add_argument("--chart", metavar="FILE", help="write a time/cost-distance chart (.png/.svg)")
    p.add_argument("--chart-routes", type=int, default=4, help="routes on the chart (default 4)")
    p.add_argument("--bars", metavar="FILE", help="write the corridors as bars (.png/.svg)")
    p.set_defaults(func=cmd_compare, objective="generalized")
    p = sub.add_parser("scenario", help="scenarios: run one against the baseline")
    scen = p.add_subparsers(dest="scenario_command", required=True)
    p = scen.add_parser("run", help="run a scenario TOML file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("--format", choices=("text", "json", "csv", "md"), help="output (default text)")
    p.set_defaults(func=cmd_scenario_run)
    p = sub.add_parser("calibrate", help="the model against published figures (calibration.csv)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", help="also write calibration.md and calibration.json here")
    p.set_defaults(func=cmd_calibrate)
    p = sub.add_parser("alternatives", help="k meaningfully different routes, with trade-offs")
    _route_options(p)
    p.add_argument("--k", type=int, default=5, help="how many (default 5, at most 10)")
    p.add_argument("--max-factor", type=float, default=1.5, help="within this x the best")
    p.set_defaults(func=cmd_alternatives, objective="generalized")
    p = sub.add_parser("matrix", help="origin-destination skims: cost, time, km, CO2, borders")
    p.add_argument("--from", dest="from_", metavar="A,B,...", help="origins")
    p.add_argument("--to", metavar="C,D,...", help="destinations")
    p.add_argument("--all", action="store_true", help="every place to every place")
    p.add_argument("--objective", default="generalized", choices=OBJECTIVES)
    p.add_argument("--cargo", default="container", choices=CARGO_CLASSES)
    p.add_argument("--risk-profile", default="none", metavar="NAME", help="price its risks")
    p.add_argument("--out", metavar="FILE", help="write CSV, or Parquet for *.parquet")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("--format", choices=("csv", "json", "md"), help="to stdout (default csv)")
    p.set_defaults(func=cmd_matrix)
    p = sub.add_parser(
        "criticality", help="rank crossings, ports and ferries by the loss if closed"
    )
    p.add_argument("--weights", choices=["trade", "uniform"], default="uniform")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_criticality)
    p = sub.add_parser("assign", help="the region's trade on the network, with capacities")
    p.add_argument("--method", choices=["lp", "logit"], default="lp")
    p.add_argument("--capacitated-only", action="store_true", help="skip the uncapacitated run")
    p.add_argument(
        "--scenario", metavar="FILE", help="a scenario TOML (network, trade, capacities)"
    )
    p.add_argument(
        "--risk-profile", default="none", metavar="NAME", help="price this shipper's risks"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", help="write assignment.md/.json, CSV tables and a chart here")
    p.set_defaults(func=cmd_assign)
    p = sub.add_parser(
        "uncertainty", help="Monte Carlo: P10/P50/P90 per corridor, the chance each is best"
    )
    _route_options(p)
    p.add_argument("--corridors", help="corridor ids, comma-separated (default: all)")
    p.add_argument("--draws", type=int, default=2000, help="number of draws (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--spread", type=float, default=1.0, help="scale every spread (0: deterministic)"
    )
    p.add_argument(
        "--scheduler",
        help="'local' (default: a local Dask cluster), 'inprocess', or tcp://host:port "
        "(also $CORRIDORS_DASK_SCHEDULER)",
    )
    p.add_argument("--workers", type=int, help="workers of the local cluster (default 2)")
    p.add_argument("--chart", metavar="FILE", help="write the distributions (.png/.svg)")
    p.set_defaults(func=cmd_uncertainty, objective="generalized")
    p = sub.add_parser(
        "breakeven", help="where two corridors swap ranks, and a tornado of the inputs"
    )
    _route_options(p)
    p.add_argument("--between", required=True, metavar="A,B", help="two corridor ids")
    p.add_argument("--param", help="one parameter (default: every factor)")
    p.add_argument("--low", type=float, help="search from (default: the factor's low)")
    p.add_argument("--high", type=float, help="search to (default: the factor's high)")
    p.add_argument("--tolerance", type=float, default=1e-3, help="share of the range")
    p.add_argument("--corridors", help=argparse.SUPPRESS)
    p.add_argument("--chart", metavar="FILE", help="write the tornado chart (.png/.svg)")
    p.set_defaults(func=cmd_breakeven, objective="generalized")
    p = sub.add_parser("bench", help="run the scenario suite and write a report")
    p.add_argument("--out", default="corridors-report", help="output directory")
    p.add_argument("--scenarios", help="scenario directory (default: the bundled suite)")
    p.add_argument("--no-charts", action="store_true")
    p.add_argument(
        "--scheduler",
        help="run the scenarios as Dask tasks: 'local' (a local cluster) or tcp://host:port",
    )
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("serve", help="run the REST service (OpenAPI docs at /docs)")
    p.add_argument("--host", help="default 127.0.0.1 (or CORRIDORS_HOST)")
    p.add_argument("--port", type=int, help="default 8000 (or CORRIDORS_PORT)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log requests"
    )
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except DataValidationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except InfeasibleError as err:
        print(f"error: no route under the rules ({', '.join(err.rules)}): {err}", file=sys.stderr)
        return 1
    except NoRouteError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (RequestError, ScenarioError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except CorridorsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
