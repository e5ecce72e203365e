"""Results in other formats than JSON: ``?format=csv|geojson|md`` or the ``Accept`` header
(``text/csv``, ``application/geo+json``, ``text/markdown``).  The tables and GeoJSON are the
library's exports (:mod:`corridors.views.export`), the same as the CLI's ``--format``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Rendered:
    """A response body and its media type, as a compute worker sends it back."""

    body: bytes
    media_type: str

    def response(self) -> Response:
        return Response(self.body, media_type=self.media_type)


def as_json(data: Any, media_type: str = "application/json") -> Rendered:
    """JSON as the API writes it (UTF-8, no NaN or infinity)."""
    return Rendered(bytes(JSONResponse(data).body), media_type)


def render(
    fmt: str,
    what: str,
    data: Callable[[], Any],
    rows: Callable[[], list[dict[str, Any]]],
    geojson: Callable[[], dict[str, Any]] | None = None,
) -> Rendered:
    """The body in ``fmt`` (a RequestError, answered as a 422, for a format ``what`` has not)."""
    if fmt == "json":
        return as_json(data())
    if fmt == "csv":
        return Rendered(to_csv(rows()).encode(), MEDIA_TYPES["csv"])
    if fmt == "md":
        return Rendered(to_markdown(rows()).encode(), MEDIA_TYPES["md"])
    if fmt == "geojson" and geojson is not None:
        return as_json(geojson(), MEDIA_TYPES["geojson"])
    raise unsupported(what, fmt, ["json", "csv", "md"])
