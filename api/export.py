"""Results in other formats than JSON: ``?format=csv|geojson|md`` or the ``Accept`` header
(``text/csv``, ``application/geo+json``, ``text/markdown``).  The tables and GeoJSON are the
library's exports (:mod:`corridors.views.export`), the same as the CLI's ``--format``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from corridors.views.export import MEDIA_TYPES, to_csv, to_markdown, unsupported

ExportFormat = Literal["json", "csv", "geojson", "md"]
FormatQuery = Annotated[
    ExportFormat | None,
    Query(description="json (default), csv, geojson or md; or ask with the Accept header"),
]
ACCEPTED = {"text/csv": "csv", "application/geo+json": "geojson", "text/markdown": "md"}


def export_responses(*, geojson: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the 200 response's other media types."""
    media = ["text/csv", "text/markdown"] + (["application/geo+json"] if geojson else [])
    return {200: {"content": {"application/json": {}, **{m: {} for m in media}}}}


def chosen_format(fmt: str | None, request: Request) -> str:
    """The ``format`` parameter, else the first export type the Accept header names, else JSON."""
    if fmt:
        return fmt
    accept = request.headers.get("accept", "")
    for media, name in ACCEPTED.items():
        if media in accept:
            return name
    return "json"


def rendered(
    fmt: str,
    what: str,
    data: Callable[[], Any],
    rows: Callable[[], list[dict[str, Any]]],
    geojson: Callable[[], dict[str, Any]] | None = None,
) -> Response:
    """The response in ``fmt`` (a RequestError, answered as a 422, for a format ``what`` has not)."""
    if fmt == "json":
        return JSONResponse(data())
    if fmt == "csv":
        return Response(to_csv(rows()), media_type=MEDIA_TYPES["csv"])
    if fmt == "md":
        return Response(to_markdown(rows()), media_type=MEDIA_TYPES["md"])
    if fmt == "geojson" and geojson is not None:
        return JSONResponse(geojson(), media_type=MEDIA_TYPES["geojson"])
    raise unsupported(what, fmt, ["json", "csv", "md"])
