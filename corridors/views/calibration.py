"""Views of a calibration run: rows for JSON, and the Markdown report."""

from __future__ import annotations

from typing import Any

from corridors.calibrate import TOLERANCE, RowResult, summary

__all__ = ["calibration_dict", "calibration_markdown"]


def _row_dict(r: RowResult) -> dict[str, Any]:
    row = r.row
    return {
        "id": row.id,
        "kind": row.kind,
        "use": row.use,
        "origin": row.origin,
        "destination": row.destination,
        "modes": list(row.modes),
        "corridor": row.corridor or None,
        "cargo": row.cargo,
        "metric": row.metric,
        "published_low": row.low,
        "published_high": row.high,
        "year": row.year,
        "source": row.source,
        "model": None if r.model is None else round(r.model, 1),
        "ratio": None if r.ratio is None else round(r.ratio, 2),
        "verdict": r.verdict,
        "detail": r.detail,
    }


def calibration_dict(results: list[RowResult], network_version: str) -> dict[str, Any]:
    return {
        "network": network_version,
        "tolerance": TOLERANCE,
        "summary": summary(results),
        "context_summary": summary(results, "context"),
        "rows": [_row_dict(r) for r in results],
    }


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:,.1f}"


def calibration_markdown(results: list[RowResult], network_version: str) -> str:
    s, ctx = summary(results), summary(results, "context")
    lines = [
        "# corridors — calibration against published figures",
        "",
        f"Network {network_version}.  {s['validation_rows']} validation rows, {s['modelled']} "
        f"modelled, **{s['within']} within band ({s['share_within']:.0%})**.  A row is within "
        "band when the model lies in [low × (1 − tol), high × (1 + tol)]; tolerance by kind: "
        + ", ".join(f"{k} {v:.0%}" for k, v in TOLERANCE.items())
        + ".  Rows marked *parameter* set a model figure and are not validation; validation "
        "rows are schedules, averages and statements of a regular service; *context* rows "
        "(single runs — pilots, first, test and record trains — and congestion episodes) are "
        f"shown, not counted: {ctx['within']} of {ctx['modelled']} modelled context rows lie "
        "within band.",
        "",
        "| kind | within | above | below | not modelled |",
        "|---|---|---|---|---|",
    ]
    for kind, c in s["by_kind"].items():
        lines.append(
            f"| {kind} | {c.get('within', 0)} | {c.get('above', 0)} | {c.get('below', 0)} | "
            f"{c.get('not modelled', 0)} |"
        )
    lines += [
        "",
        "| row | use | query | metric | published | model | ratio | verdict | model detail |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        row = r.row
        pub = _fmt(row.low) if row.low == row.high else f"{_fmt(row.low)}–{_fmt(row.high)}"
        query = f"{row.origin} → {row.destination}"
        if row.modes:
            query += f" ({'/'.join(row.modes)})"
        if row.corridor:
            query += f" [{row.corridor}]"
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"
        lines.append(
            f"| {row.id} | {row.use} | {query} | {row.metric} | {pub} | {_fmt(r.model)} | "
            f"{ratio} | {r.verdict} | {r.detail} |"
        )
    return "\n".join(lines) + "\n"
