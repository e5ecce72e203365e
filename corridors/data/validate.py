"""Cross-row and cross-file checks of the network data.  Every check appends a
:class:`~corridors.errors.Problem`; nothing stops at the first.

Rules (each with file, row, column and reason when broken):

- ids are unique (links and border crossings share one id space) and refer to known locations;
- coordinates lie inside the study region (:data:`REGION`);
- every location has at least one link or border crossing;
- rail links and rail ferries carry a gauge, sea links a basin, and neither field appears on
  other modes; only sea links name a service class, and a ro-ro or rail-ferry service gives its
  own sailings per week;
- rail and road links stay inside one country; border crossings join two countries;
- distances are plausible against the great-circle distance for the mode (:data:`DETOUR_BOUNDS`),
  and a distance estimated from the great circle matches its source's stated factor;
- every ``source`` / ``attr_source`` / ``dwell_source`` key names a row of sources.csv, and
  every optional figure (speed, capacity, frequency, dwell, fee) has one;
- links and crossings that are not operational give their expected opening year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from corridors.errors import Problem
from corridors.geo import great_circle_km
from corridors.model import BorderCrossing, Link, Location, Source
from corridors.params import Parameters

REGION = {"lat": (0.0, 70.0), "lon": (-10.0, 135.0)}
# (lowest, highest) ratio of a link's distance to the great-circle distance, per mode
DETOUR_BOUNDS = {
    "rail": (0.95, 2.5),
    "road": (0.95, 2.5),
    "sea": (0.95, 3.5),
    "air": (0.98, 1.25),
    "border": (0.9, 3.0),
}
SLACK_KM = {"rail": 5.0, "road": 5.0, "sea": 5.0, "air": 120.0, "border": 5.0}
YEARS = (1850, 2100)


def _check_sources(sources: Sequence[tuple[int, Source]], out: list[Problem]) -> dict[str, Source]:
    seen: dict[str, Source] = {}
    for line, s in sources:
        if s.key in seen:
            out.append(Problem("sources.csv", line, "key", f"duplicate key {s.key!r}"))
        seen[s.key] = s
        if s.kind == "published" and not s.url:
            out.append(Problem("sources.csv", line, "url", "a published source needs a URL"))
        if s.kind == "estimate" and not s.method:
            out.append(Problem("sources.csv", line, "method", "an estimate must state its method"))
        if s.factor is not None and s.factor < 1.0:
            out.append(Problem("sources.csv", line, "factor", "a detour factor is >= 1"))
        if s.year is not None and not YEARS[0] <= s.year <= YEARS[1]:
            out.append(Problem("sources.csv", line, "year", f"year {s.year} out of range"))
    return seen


def _check_locations(
    locations: Sequence[tuple[int, Location]], sources: dict[str, Source], out: list[Problem]
) -> dict[str, tuple[int, Location]]:
    seen: dict[str, tuple[int, Location]] = {}
    f = "locations.csv"
    for line, loc in locations:
        if loc.id in seen:
            out.append(
                Problem(f, line, "id", f"duplicate id {loc.id!r} (first on row {seen[loc.id][0]})")
            )
        seen[loc.id] = (line, loc)
        for axis, value in (("lat", loc.lat), ("lon", loc.lon)):
            lo, hi = REGION[axis]
            if not lo <= value <= hi:
                out.append(
                    Problem(f, line, axis, f"{value} is outside the study region [{lo}, {hi}]")
                )
        if loc.source not in sources:
            out.append(Problem(f, line, "source", f"unknown source key {loc.source!r}"))
    return seen


def _check_status(file: str, line: int, status: str, year: int | None, out: list[Problem]) -> None:
    if status != "operational" and year is None:
        out.append(
            Problem(file, line, "opening_year", f"a {status} line needs its expected opening year")
        )
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        out.append(Problem(file, line, "opening_year", f"year {year} out of range"))


def _check_distance(
    file: str,
    line: int,
    family: str,
    distance_km: float,
    a: Location,
    b: Location,
    source: Source | None,
    out: list[Problem],
) -> None:
    if distance_km <= 0 and family != "border":
        out.append(Problem(file, line, "distance_km", "must be > 0"))
        return
    gc = great_circle_km(a.lat, a.lon, b.lat, b.lon)
    lo, hi = DETOUR_BOUNDS[family]
    slack = SLACK_KM[family]
    if distance_km < gc * lo - slack or distance_km > gc * hi + slack:
        out.append(
            Problem(
                file,
                line,
                "distance_km",
                f"{distance_km:g} km is implausible for {family} against the great-circle distance "
                f"{gc:.0f} km between {a.id} and {b.id} (allowed {lo}x to {hi}x)",
            )
        )
    if source is not None and source.kind == "estimate" and source.factor is not None:
        expected = gc * source.factor
        if abs(distance_km - expected) > max(1.0, 0.01 * expected):
            out.append(
                Problem(
                    file,
                    line,
                    "distance_km",
                    f"estimate {source.key!r} says great circle x {source.factor} = {expected:.0f} km, "
                    f"file has {distance_km:g} km",
                )
            )


def _check_source_key(
    file: str, line: int, column: str, key: str, sources: dict[str, Source], out: list[Problem]
) -> None:
    if key and key not in sources:
        out.append(Problem(file, line, column, f"unknown source key {key!r}"))


def _check_sea_fields(f: str, line: int, link: Link, out: list[Problem]) -> None:
    """Basin, passages and service class: sea links only; a vehicle ferry gives its sailings."""
    if link.mode == "sea" and link.basin is None:
        out.append(Problem(f, line, "basin", "a sea link needs its basin (caspian or open)"))
    if link.mode != "sea" and (link.basin is not None or link.passages):
        out.append(Problem(f, line, "basin", f"a {link.mode} link has no basin or passages"))
    if link.service is not None and link.mode != "sea":
        out.append(Problem(f, line, "service", f"a {link.mode} link has no service class"))
    if link.service is not None and link.frequency_per_week is None:
        reason = f"a {link.service} service needs its own sailings per week (no default for it)"
        out.append(Problem(f, line, "frequency_per_week", reason))


def _check_link(
    line: int,
    link: Link,
    locs: dict[str, tuple[int, Location]],
    sources: dict[str, Source],
    out: list[Problem],
) -> None:
    f = "links.csv"
    carries_wagons = link.mode == "rail" or link.service == "rail_ferry"
    if carries_wagons and link.gauge_mm is None:
        what = "a rail ferry needs the gauge of the wagons it carries"
        out.append(
            Problem(f, line, "gauge_mm", what if link.service else "a rail link needs its gauge")
        )
    if not carries_wagons and link.gauge_mm is not None:
        out.append(Problem(f, line, "gauge_mm", f"a {link.mode} link has no gauge"))
    _check_sea_fields(f, line, link, out)
    _check_status(f, line, link.status, link.opening_year, out)
    _check_source_key(f, line, "source", link.source, sources, out)
    _check_source_key(f, line, "attr_source", link.attr_source, sources, out)
    has_attr = any(
        v is not None for v in (link.speed_kmh, link.capacity_mt_per_year, link.frequency_per_week)
    )
    if has_attr and not link.attr_source:
        out.append(
            Problem(f, line, "attr_source", "speed, capacity or frequency given without a source")
        )
    for name, v in (
        ("speed_kmh", link.speed_kmh),
        ("capacity_mt_per_year", link.capacity_mt_per_year),
        ("frequency_per_week", link.frequency_per_week),
    ):
        if v is not None and v <= 0:
            out.append(Problem(f, line, name, "must be > 0"))
    ends = [(col, locs.get(i)) for col, i in (("from_id", link.from_id), ("to_id", link.to_id))]
    for col, found in ends:
        if found is None:
            out.append(Problem(f, line, col, f"unknown location id {getattr(link, col)!r}"))
    if link.from_id == link.to_id:
        out.append(Problem(f, line, "to_id", "a link must join two different locations"))
    a, b = ends[0][1], ends[1][1]
    if a is None or b is None:
        return
    if link.mode in ("rail", "road") and a[1].country != b[1].country:
        out.append(
            Problem(
                f,
                line,
                "to_id",
                f"{link.mode} link crosses the {a[1].country}-{b[1].country} border without a border "
                "crossing: split it at the border points and add the crossing to borders.csv",
            )
        )
    _check_distance(f, line, link.mode, link.distance_km, a[1], b[1], sources.get(link.source), out)


def _check_border(
    line: int,
    b: BorderCrossing,
    locs: dict[str, tuple[int, Location]],
    sources: dict[str, Source],
    out: list[Problem],
) -> None:
    f = "borders.csv"
    if b.mode == "rail" and not b.gauges_mm:
        out.append(Problem(f, line, "gauge_mm", "a rail crossing needs the gauge(s) of its track"))
    if b.mode == "road" and b.gauges_mm:
        out.append(Problem(f, line, "gauge_mm", "a road crossing has no gauge"))
    own = {
        "dwell_h": b.dwell_h,
        "fee_usd": b.fee_usd,
        "dwell_h_back": b.dwell_h_back,
        "fee_usd_back": b.fee_usd_back,
    }
    if any(v is not None for v in own.values()) and not b.dwell_source:
        out.append(Problem(f, line, "dwell_source", "dwell or fee given without a source"))
    for name, v in own.items():
        if v is not None and v < 0:
            out.append(Problem(f, line, name, "must be >= 0"))
    for back, there in (("dwell_h_back", "dwell_h"), ("fee_usd_back", "fee_usd")):
        if own[back] is not None and own[there] is None:
            why = f"a figure for the way back needs one for the way there ({there})"
            out.append(Problem(f, line, back, why))
    _check_status(f, line, b.status, b.opening_year, out)
    _check_source_key(f, line, "source", b.source, sources, out)
    _check_source_key(f, line, "dwell_source", b.dwell_source, sources, out)
    a, z = locs.get(b.from_id), locs.get(b.to_id)
    if a is None:
        out.append(Problem(f, line, "from_id", f"unknown location id {b.from_id!r}"))
    if z is None:
        out.append(Problem(f, line, "to_id", f"unknown location id {b.to_id!r}"))
    if a is None or z is None:
        return
    if a[1].country == z[1].country:
        out.append(
            Problem(
                f,
                line,
                "to_id",
                f"a border crossing must join two countries; both sides are in {a[1].country}",
            )
        )
    _check_distance(f, line, "border", b.distance_km, a[1], z[1], sources.get(b.source), out)


def check_network(
    sources: Sequence[tuple[int, Source]],
    locations: Sequence[tuple[int, Location]],
    links: Sequence[tuple[int, Link]],
    borders: Sequence[tuple[int, BorderCrossing]],
    params: Parameters | None,
) -> list[Problem]:
    """Run every rule; return all problems found (empty when the data is valid)."""
    out: list[Problem] = []
    src = _check_sources(sources, out)
    locs = _check_locations(locations, src, out)
    ids = Counter([x.id for _, x in links] + [x.id for _, x in borders])
    for line, link in links:
        if ids[link.id] > 1:
            out.append(Problem("links.csv", line, "id", f"duplicate link id {link.id!r}"))
        _check_link(line, link, locs, src, out)
    for line, b in borders:
        if ids[b.id] > 1:
            out.append(Problem("borders.csv", line, "id", f"duplicate crossing id {b.id!r}"))
        _check_border(line, b, locs, src, out)
    used = {i for _, lk in links for i in (lk.from_id, lk.to_id)}
    used |= {i for _, b in borders for i in (b.from_id, b.to_id)}
    for loc_id, (line, _loc) in locs.items():
        if loc_id not in used:
            out.append(
                Problem("locations.csv", line, "id", f"{loc_id!r} has no link or border crossing")
            )
    if params is not None:
        for key in sorted(params.source_keys() - set(src)):
            out.append(Problem("parameters.toml", 0, "source", f"unknown source key {key!r}"))
        waits = params.sailing_wait.ports if params.sailing_wait else frozenset()
        for loc_id in sorted(waits - set(locs)):
            out.append(
                Problem("parameters.toml", 0, "sailing_wait.ports", f"unknown location {loc_id!r}")
            )
    return out
