"""Start the REST service: ``python -m api [--data DIR] [--host H] [--port P] [--workers N]``.

Options become ``CORRIDORS_*`` settings in the environment, so every uvicorn worker process
builds the same app from it (:func:`api.main.create_app`).  ``corridors serve`` hands over here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m api", description="the corridors REST service")
    p.add_argument("--data", help="network data directory (default: the bundled network)")
    p.add_argument("--host", help="default 127.0.0.1 (or CORRIDORS_HOST)")
    p.add_argument("--port", type=int, help="default 8000 (or CORRIDORS_PORT)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("-v", "--verbose", action="store_true", help="log requests")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    import uvicorn  # imported here: only starting the server needs it
    from pydantic import ValidationError

    from api.settings import Settings

    args = _parser().parse_args(argv)
    for name, value in (("HOST", args.host), ("PORT", args.port), ("DATA_DIR", args.data)):
        if value is not None:
            os.environ[f"CORRIDORS_{name}"] = str(value)
    try:
        settings = Settings()
    except ValidationError as err:
        for e in err.errors():
            field = "_".join(str(x) for x in e["loc"]).upper()
            print(f"error: CORRIDORS_{field}: {e['msg']}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the access log
    print(
        f"corridors API on http://{settings.host}:{settings.port} "
        f"(docs: http://{settings.host}:{settings.port}/docs)",
        flush=True,
    )
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=args.workers,
        log_level="info" if args.verbose else "warning",
        timeout_keep_alive=5,  # idle connections are closed after 5 s
        h11_max_incomplete_event_size=16 * 1024,  # request line and headers: 16 KiB at most
        limit_concurrency=max(64, 4 * settings.compute_queue),
    )
    return 0
