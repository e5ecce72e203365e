"""The request vocabulary: one set of options for the library, the CLI and the API."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

from api.main import create_app
from api.settings import Settings
from corridors.cli import build_parser
from corridors.errors import RequestError
from corridors.request import (
    BASINS,
    CARGO_CLASSES,
    DEFAULT_LIMITS,
    OBJECTIVES,
    SOLVERS,
    Limits,
    RouteRequest,
    Via,
    request_from_options,
    validate_request,
)

ROOT = Path(__file__).resolve().parents[1]


def _route_choices() -> dict[str, tuple[str, ...]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    route = sub.choices["route"]  # type: ignore[attr-defined]
    return {a.dest: tuple(a.choices) for a in route._actions if a.choices}


def test_cli_choices_are_the_request_vocabulary():
    choices = _route_choices()
    assert choices["objective"] == OBJECTIVES
    assert choices["cargo"] == CARGO_CLASSES
    assert choices["solver"] == SOLVERS
    assert choices["exclude_basin"] == BASINS


def test_openapi_enums_are_the_request_vocabulary():
    schema = create_app(Settings()).openapi()["components"]["schemas"]["RouteBody"]["properties"]
    assert tuple(schema["objective"]["enum"]) == OBJECTIVES
    assert tuple(schema["cargo"]["enum"]) == CARGO_CLASSES
    assert tuple(schema["solver"]["enum"]) == SOLVERS
    assert {"gates", "exclude_passages", "exclude_basins"} <= set(schema)


def test_service_limits_start_from_the_library_defaults():
    limits = Settings().limits()
    assert limits.max_via == DEFAULT_LIMITS.max_via
    assert limits.max_one_of == DEFAULT_LIMITS.max_one_of
    assert limits.max_queries == DEFAULT_LIMITS.max_queries


def test_validate_collects_every_problem_at_once():
    req = RouteRequest(
        "a",
        "b",
        objective="cheapest",  # type: ignore[arg-type]
        cargo="gold",  # type: ignore[arg-type]
        quantity=math.nan,
        max_hours=-1,
        year=1800,
    )
    with pytest.raises(RequestError) as info:
        validate_request(req)
    message = str(info.value)
    for field in ("objective", "cargo", "quantity", "max_hours", "year"):
        assert f"{field}:" in message
    assert info.value.kind == "invalid-request"


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_non_finite_numbers_are_rejected(value):
    with pytest.raises(RequestError, match="max_cost_usd: must be a finite number"):
        validate_request(RouteRequest("a", "b", max_cost_usd=value))


def test_limits_give_too_big():
    req = RouteRequest("a", "b", via=tuple(Via(f"p{i}") for i in range(3)))
    with pytest.raises(RequestError, match="via: 3 entries; the limit is 2") as info:
        validate_request(req, Limits(max_via=2))
    assert info.value.kind == "too-big"
    validate_request(req)  # within the defaults


def test_one_conversion_from_wire_and_cli_values():
    req = request_from_options(
        {
            "origin": "Almaty",
            "destination": "Mersin",
            "via": ["Aktau:12", {"location": "Baku", "dwell_h": 2}],
            "gates": [["GE", "AM"]],
            "exclude_passages": ["ormuz"],
            "modes": ["rail", "sea"],
            "max_hours": None,
        }
    )
    assert req.via == (Via("Aktau", 12.0), Via("Baku", 2.0))
    assert req.gates == (("GE", "AM"),)
    assert req.exclude_passages == ("ormuz",)
    assert req.modes == ("rail", "sea")
    assert req.max_hours is None
    with pytest.raises(RequestError, match="unknown request option"):
        request_from_options({"origin": "a", "destination": "b", "colour": "red"})
    with pytest.raises(RequestError, match="bad entry"):
        request_from_options({"origin": "a", "destination": "b", "via": ["Aktau:soon"]})


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_corridors_never_imports_api():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "corridors").rglob("*.py")
        if any(n == "api" or n.startswith("api.") for n in _imports(p))
    ]
    assert offenders == []


LAYERS = [  # lower layers never import higher ones
    ("corridors.data", {"corridors.graph", "corridors.solvers", "corridors.routing"}),
    ("corridors.graph", {"corridors.solvers", "corridors.routing", "corridors.compare"}),
    ("corridors.solvers", {"corridors.routing", "corridors.compare", "corridors.scenarios"}),
    ("corridors.routing", {"corridors.compare", "corridors.scenarios", "corridors.cli"}),
    ("corridors.compare", {"corridors.scenarios", "corridors.cli", "corridors.views"}),
    ("corridors.scenarios", {"corridors.cli", "corridors.views"}),
]


@pytest.mark.parametrize(("layer", "above"), LAYERS)
def test_layers_import_downwards_only(layer, above):
    base = ROOT / layer.replace(".", "/")
    files = list(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
    for path in files:
        bad = {n for n in _imports(path) for a in above if n == a or n.startswith(a + ".")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
