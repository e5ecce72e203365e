"""HTTP load test of the real server on loopback, with wrk (installed here if missing).

For one worker and for two: requests/s and p50/p99 latency of ``GET /v1/health`` (the
baseline) and of ``GET /v1/routes`` over random routable origin-destination pairs, in the
same run against the same server.  Bounded in time (``--seconds`` per measurement).  Writes
``http.json`` and ``http.md`` under the results directory.

Run: ``python benchmarks/perf/bench_http.py [--seconds 10] [--connections 10]``
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import urlopen

from results_io import machine, write_results

from corridors.data import load_network
from corridors.errors import NoRouteError
from corridors.request import RouteRequest
from corridors.routing import Router


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt-get)...", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def routable_paths(n: int, seed: int) -> list[str]:
    router = Router(load_network())
    rng = random.Random(seed)
    ids = sorted(router.network.locations)
    paths: list[str] = []
    while len(paths) < n:
        a, b = rng.sample(ids, 2)
        try:
            router.route(RouteRequest(a, b))
        except NoRouteError:
            continue
        paths.append(f"/v1/routes?origin={quote(a)}&destination={quote(b)}")
    return paths


def lua_script(paths: list[str]) -> str:
    rows = ",\n".join(f'  "{p}"' for p in paths)
    return (
        "local paths = {\n" + rows + "\n}\nmath.randomseed(7)\n"
        "request = function()\n  return wrk.format('GET', paths[math.random(#paths)])\nend\n"
    )


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000.0 if unit == "us" else value * 1000.0 if unit == "s" else value


def run_wrk(
    wrk: str, url: str, seconds: int, connections: int, script: str | None
) -> dict[str, Any]:
    threads = min(2, connections)
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, flags=re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "requests": total,
        "requests_per_s": rps,
        "p50_ms": _ms(lat.get("50", "")),
        "p99_ms": _ms(lat.get("99", "")),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def mixed_load(wrk: str, base: str, script: str, seconds: int, connections: int) -> dict[str, Any]:
    """Route queries from ``connections`` clients while one client polls /v1/health: the
    health latency under load, the routes' own latency, and how many were shed (503)."""
    cmd = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    routes = subprocess.Popen(
        [*cmd, "-s", script, base], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    health = run_wrk(wrk, f"{base}/v1/health", seconds, 1, None)
    out, _ = routes.communicate(timeout=seconds + 60)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, flags=re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "connections": connections,
        "health_p50_ms": health["p50_ms"],
        "health_p99_ms": health["p99_ms"],
        "health_failed": health["non_2xx"] + health["socket_errors"],
        "routes_requests": int(total.group(1)) if total else 0,
        "routes_p99_ms": _ms(lat.get("99", "")),
        "routes_non_2xx": int(non2xx.group(1)) if non2xx else 0,  # 503 shed, or refused
        "routes_socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def serve(port: int, workers: int, cache_size: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CORRIDORS_RESPONSE_CACHE_SIZE": str(cache_size)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corridors.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start")


def markdown(res: dict[str, Any]) -> str:
    lines = [
        f"# HTTP load benchmark ({res['meta']['date']})",
        "",
        f"Machine: {res['meta']['machine']}; wrk, 2 threads, {res['meta']['connections']} "
        f"connections, {res['meta']['seconds']} s per row, loopback; route queries over "
        f"{res['meta']['pairs']} random routable pairs of the bundled network.  'workers' are "
        "server processes (uvicorn); each computes in its own pool of compute processes, one "
        "per core (CORRIDORS_COMPUTE_WORKERS), so solver work never holds a server process's "
        "interpreter lock.",
        "",
        "| workers | response cache | endpoint | requests/s | p50 ms | p99 ms | failed "
        "| route / health |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, r in res["runs"].items():
        w, cache = key.split("/")
        h, q = r["health"], r["routes"]
        for name, x in (("GET /v1/health", h), ("GET /v1/routes", q)):
            ratio = f"{q['requests_per_s'] / h['requests_per_s']:.2f}" if x is q else ""
            lines.append(
                f"| {w} | {cache} | {name} | {x['requests_per_s']:,.0f} | "
                f"{x['p50_ms']:.2f} | {x['p99_ms']:.2f} | "
                f"{x['non_2xx'] + x['socket_errors']} | {ratio} |"
            )
    if res.get("mixed"):
        lines += [
            "",
            "Mixed load (1 server process and its compute processes, no response cache): route "
            "queries from N clients while one client polls /v1/health as fast as it can.  "
            "Non-2xx route answers are requests shed with 503 + Retry-After when every compute "
            "slot is taken and the queue is full.  Target (issue 11): health p99 under 50 ms, "
            "no failed request.",
            "",
            "| clients | health p50 ms | health p99 ms | health failed | route requests | "
            "route p99 ms | routes shed (503) | socket errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for m in res["mixed"]:
            lines.append(
                f"| {m['connections']} | {m['health_p50_ms']:.2f} | {m['health_p99_ms']:.2f} | "
                f"{m['health_failed']} | {m['routes_requests']:,} | {m['routes_p99_ms']:.1f} | "
                f"{m['routes_non_2xx']} | {m['routes_socket_errors']} |"
            )
    lines += [
        "",
        "Targets (issue 4): route queries at least half the requests/s of /v1/health on "
        "the same server, p99 under 20 ms, no failed request.  'off': every route is "
        "computed (CORRIDORS_RESPONSE_CACHE_SIZE=0); 'on': repeated queries (the "
        f"{res['meta']['pairs']} pairs recur) are served from the response cache.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=10)
    ap.add_argument("--pairs", type=int, default=500)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "results"))
    args = ap.parse_args()
    wrk = ensure_wrk()
    paths = routable_paths(args.pairs, seed=7)
    res: dict[str, Any] = {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "seconds": args.seconds,
            "connections": args.connections,
            "pairs": len(paths),
            "machine": machine(),
        },
        "runs": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "routes.lua"
        script.write_text(lua_script(paths))
        for workers, cache_size in ((1, 0), (1, 1024), (2, 0), (2, 1024)):
            port = free_port()
            proc = serve(port, workers, cache_size)
            try:
                base = f"http://127.0.0.1:{port}"
                run_wrk(wrk, f"{base}/v1/health", 2, args.connections, None)  # warm-up
                health = run_wrk(wrk, f"{base}/v1/health", args.seconds, args.connections, None)
                routes = run_wrk(wrk, base, args.seconds, args.connections, str(script))
                label = f"{workers}/{'on' if cache_size else 'off'}"
                res["runs"][label] = {"health": health, "routes": routes}
                print(
                    f"workers={workers} cache={cache_size}: health {health['requests_per_s']:.0f}/s, routes "
                    f"{routes['requests_per_s']:.0f}/s",
                    file=sys.stderr,
                )
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        port = free_port()
        proc = serve(port, 1, 0)
        try:
            res["mixed"] = [
                mixed_load(wrk, f"http://127.0.0.1:{port}", str(script), args.seconds, n)
                for n in (16, 64)
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    write_results(args.out, "http", res, markdown(res))
    print(markdown(res))


if __name__ == "__main__":
    main()
