"""The API contract, at length: Schemathesis with every check against the real server.

The test suite runs 25 generated requests per operation (``tests/test_api_server.py``); this
runs ``--examples`` per operation (default 200) against ``corridors serve`` on loopback with
the bundled network, and records per operation the requests made, the failures (the first
message of each) and the time.  The same checks as the test: no 5xx, responses that conform
to the documented schema, status codes and content types, schema-valid data accepted (except
on ``POST /v1/scenarios/run``, whose free-form scenario ids only the network can check).
Writes ``contract.json`` and ``contract.md``.

Run: ``python benchmarks/perf/bench_contract.py [--examples 200]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from bench_http import free_port, serve
from hypothesis import HealthCheck, given, settings
from results_io import machine, write_results
from schemathesis.specs.openapi.checks import positive_data_acceptance


def run_operation(operation: Any, base_url: str, examples: int) -> dict[str, Any]:
    excluded = [positive_data_acceptance] if operation.label == "POST /v1/scenarios/run" else []
    calls = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        nonlocal calls
        calls += 1
        case.call_and_validate(base_url=base_url, timeout=60, excluded_checks=excluded)

    started = time.perf_counter()
    failure = ""
    try:
        check()
    except Exception as err:  # noqa: BLE001 - a failure is the result, recorded
        failure = f"{type(err).__name__}: {str(err).strip().splitlines()[0][:300]}"
    return {
        "operation": operation.label,
        "requests": calls,
        "failed": bool(failure),
        "failure": failure,
        "seconds": round(time.perf_counter() - started, 2),
    }


def markdown(res: dict[str, Any]) -> str:
    meta = res["meta"]
    failed = [r for r in res["operations"] if r["failed"]]
    lines = [
        f"# API contract run ({meta['date']})",
        "",
        f"Machine: {meta['machine']}; Schemathesis {meta['schemathesis']}, every check; up to "
        f"{meta['examples']} generated requests per operation against `corridors serve` on "
        f"loopback (network {meta['network']}).  **{len(failed)} of "
        f"{len(res['operations'])} operations failed**; {meta['requests']:,} requests in "
        f"{meta['seconds']:.0f} s.",
        "",
        "| operation | requests | seconds | result |",
        "|---|---|---|---|",
    ]
    for r in res["operations"]:
        result = r["failure"].replace("|", "/") if r["failed"] else "ok"
        lines.append(f"| `{r['operation']}` | {r['requests']} | {r['seconds']:.1f} | {result} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=200, help="per operation")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results"))
    args = ap.parse_args()
    port = free_port()
    proc = serve(port, workers=1, cache_size=1024)
    base_url = f"http://127.0.0.1:{port}"
    try:
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
        started = time.perf_counter()
        rows = []
        for result in schema.get_all_operations():
            operation = result.ok()
            rows.append(run_operation(operation, base_url, args.examples))
            print(f"{rows[-1]['operation']}: {rows[-1]['requests']} requests", flush=True)
        network = httpx.get(f"{base_url}/v1/health", timeout=10).json()["network_version"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    res = {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine(),
            "schemathesis": schemathesis.__version__,
            "examples": args.examples,
            "network": network,
            "requests": sum(r["requests"] for r in rows),
            "seconds": time.perf_counter() - started,
        },
        "operations": rows,
    }
    write_results(args.out, "contract", res, markdown(res))
    print(markdown(res))


if __name__ == "__main__":
    main()
