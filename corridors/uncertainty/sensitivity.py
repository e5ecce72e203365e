"""Break-even points and a tornado of the inputs, for the gap between two corridors.

The gap is corridor A's objective minus corridor B's (negative: A wins), every factor at its
mode (the model's figures) except the one studied.  A parameter is a factor group of
``uncertainty.toml`` (``border_dwell:IR``, ``port_wait:caspian``, ``tariff:rail`` ...), whose
value multiplies the model's figures, one crossing's dwell (``crossing:<border id>``, a
multiplier of that crossing alone), ``value_of_time`` (USD per unit-hour, generalized
objective) or, with a shipper profile, one of its premiums (``premium:<id>``, in the premium's
own unit: USD per TEU, or % of value or of the money transferred).  The gap is piecewise linear in a parameter (each corridor's best route is the
cheapest of finitely many paths), so bisection on a sign change finds the break-even within
the tolerance.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from corridors.errors import RequestError
from corridors.uncertainty.evaluate import Evaluator
from corridors.uncertainty.model import UncertaintyModel

__all__ = [
    "VALUE_OF_TIME",
    "BreakEven",
    "TornadoBar",
    "breakeven",
    "gap",
    "study",
    "tornado",
]

VALUE_OF_TIME = "value_of_time"
CROSSING = "crossing:"
PREMIUM = "premium:"
DEFAULT_TOLERANCE = 1e-3  # relative to the search interval
MAX_STEPS = 60


@dataclass(frozen=True)
class BreakEven:
    parameter: str
    between: tuple[str, str]
    low: float
    high: float
    gap_at_low: float
    gap_at_high: float
    value: float | None  # None when the ranking does not flip within [low, high]
    tolerance: float  # absolute, in the parameter's units
    steps: int
    gap_below: float | None = None  # at the two ends of the final bracket (width <= tolerance)
    gap_above: float | None = None


@dataclass(frozen=True)
class TornadoBar:
    parameter: str
    low: float
    high: float
    gap_at_low: float
    gap_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.gap_at_high - self.gap_at_low)


def _columns(ev: Evaluator, between: tuple[str, str]) -> tuple[int, int]:
    cols = []
    for cid in between:
        if cid not in ev.corridors:
            raise RequestError(
                f"corridor {cid!r} has no route for this shipment; corridors with one: "
                + ", ".join(ev.corridors),
                kind="corridor-not-found",
            )
        cols.append(ev.corridors.index(cid))
    if cols[0] == cols[1]:
        raise RequestError("break-even needs two different corridors", kind="constraint-conflict")
    return cols[0], cols[1]


def _premiums(ev: Evaluator) -> tuple[str, ...]:
    """The ``premium:<id>`` parameters of the request's profile (premiums above zero)."""
    if ev.pricing is None:
        return ()
    premiums = ev.network.risk.premiums
    return tuple(PREMIUM + p for p in ev.pricing.profile.premiums if premiums[p].value)


def check_parameter(ev: Evaluator, parameter: str) -> None:
    crossings = tuple(CROSSING + x for x in sorted(ev.factors.border_h))
    known = (*ev.names, VALUE_OF_TIME, *_premiums(ev))
    if parameter.startswith(PREMIUM) and parameter not in known:
        raise RequestError(
            f"{parameter}: not a premium the request's risk profile pays"
            + (f"; it pays {', '.join(_premiums(ev))}" if _premiums(ev) else " (none priced)"),
            kind="parameter-not-found",
        )
    if parameter in known or parameter in crossings:
        if parameter == VALUE_OF_TIME and ev.base.objective != "generalized":
            raise RequestError(
                "value_of_time only moves the generalized objective", kind="constraint-conflict"
            )
        return
    near = difflib.get_close_matches(parameter, known + crossings, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {', '.join(known)}"
    raise RequestError(f"unknown parameter {parameter!r}{hint}", kind="parameter-not-found")


def gap(ev: Evaluator, parameter: str, value: float, between: tuple[str, str]) -> float:
    """Objective of ``between[0]`` minus ``between[1]`` with ``parameter`` at ``value``."""
    check_parameter(ev, parameter)
    a, b = _columns(ev, between)
    row = ev.mode_row()
    vot, extra_h, extra_usd = None, None, None
    if parameter == VALUE_OF_TIME:
        vot = value
    elif parameter.startswith(PREMIUM):
        assert ev.pricing is not None
        pid = parameter.removeprefix(PREMIUM)
        now = ev.network.risk.premiums[pid].value or 1.0
        extra_usd = (value / now - 1.0) * ev.pricing.usd_of(pid, ev.base.cargo)
    elif parameter.startswith(CROSSING):
        extra_h = (value - 1.0) * ev.factors.border_h[parameter.removeprefix(CROSSING)]
    else:
        row[ev.names.index(parameter)] = value
    obj = ev.evaluate(row, vot=vot, extra_h=extra_h, extra_usd=extra_usd).objective[0]
    return float(obj[a] - obj[b])


def default_range(ev: Evaluator, model: UncertaintyModel, parameter: str) -> tuple[float, float]:
    """The distribution's low and high (a crossing: the widest of its two countries'); value of
    time from 0 to 10x the request's; a premium from 0 to 10x its value."""
    if parameter == VALUE_OF_TIME:
        return 0.0, 10.0 * max(ev.vot, 1.0)
    if parameter.startswith(PREMIUM):  # from nothing to 10x today's (a % at most 100)
        p = ev.network.risk.premiums[parameter.removeprefix(PREMIUM)]
        top = 10.0 * (p.value or 0.0)
        return 0.0, min(top, 100.0) if p.basis.startswith("pct_") else top
    if parameter.startswith(CROSSING):
        sides = [model.factors[f"border_dwell:{cc}"] for cc in ev.crossing_countries(parameter)]
        return min(d.low for d in sides), max(d.high for d in sides)
    d = model.factors[parameter]
    return d.low, d.high


def breakeven(
    ev: Evaluator,
    model: UncertaintyModel,
    parameter: str,
    between: tuple[str, str],
    *,
    low: float | None = None,
    high: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> BreakEven:
    """The parameter value where ``between[0]`` and ``between[1]`` swap ranks, by bisection."""
    check_parameter(ev, parameter)
    _columns(ev, between)
    lo_default, hi_default = default_range(ev, model, parameter)
    lo = lo_default if low is None else low
    hi = hi_default if high is None else high
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 <= lo < hi):
        raise RequestError(
            f"need 0 <= low < high, got {lo:g} and {hi:g}", kind="constraint-conflict"
        )
    if not 0 < tolerance < 1:
        raise RequestError(f"tolerance must be between 0 and 1 (of the range), got {tolerance:g}")
    g_lo, g_hi = gap(ev, parameter, lo, between), gap(ev, parameter, hi, between)
    step_abs = tolerance * (hi - lo)
    if np.sign(g_lo) == np.sign(g_hi):
        return BreakEven(parameter, between, lo, hi, g_lo, g_hi, None, step_abs, 0)
    a, b, ga, steps = lo, hi, g_lo, 0
    while b - a > step_abs and steps < MAX_STEPS:
        mid = 0.5 * (a + b)
        gm = gap(ev, parameter, mid, between)
        if np.sign(gm) == np.sign(ga):
            a, ga = mid, gm
        else:
            b = mid
        steps += 1
    value = 0.5 * (a + b)
    return BreakEven(
        parameter,
        between,
        lo,
        hi,
        g_lo,
        g_hi,
        value,
        step_abs,
        steps,
        gap(ev, parameter, a, between),
        gap(ev, parameter, b, between),
    )


def tornado(ev: Evaluator, model: UncertaintyModel, between: tuple[str, str]) -> list[TornadoBar]:
    """The gap at each factor's low and high (the others at their mode), largest swing first."""
    _columns(ev, between)
    bars = []
    for name in ev.names:
        lo, hi = default_range(ev, model, name)
        bars.append(
            TornadoBar(name, lo, hi, gap(ev, name, lo, between), gap(ev, name, hi, between))
        )
    bars.sort(key=lambda bar: -bar.swing)
    return bars


def study(
    ev: Evaluator,
    model: UncertaintyModel,
    between: tuple[str, str],
    parameter: str | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    with_tornado: bool = True,
) -> tuple[list[BreakEven], list[TornadoBar]]:
    """The break-even of ``parameter``, or of every factor that moves the gap at all (found by
    the tornado); and the tornado (always computed when no parameter is named)."""
    bars = tornado(ev, model, between) if with_tornado or parameter is None else []
    params = [parameter] if parameter else [b.parameter for b in bars if b.swing > 0]
    found = [
        breakeven(ev, model, p, between, low=low, high=high, tolerance=tolerance) for p in params
    ]
    return found, bars
