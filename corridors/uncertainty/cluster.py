"""Where the draws run: a Dask cluster (a local one by default) or this process.

``scheduler``: None or "local" starts a :class:`distributed.LocalCluster` of worker processes on
this machine; ``tcp://host:port`` joins a running scheduler (also read from the environment
variable ``CORRIDORS_DASK_SCHEDULER``); "inprocess" runs every chunk here, without Dask.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from corridors.errors import CorridorsError

__all__ = ["ENV_SCHEDULER", "ClusterError", "dask_client"]

ENV_SCHEDULER = "CORRIDORS_DASK_SCHEDULER"
CONNECT_TIMEOUT_S = 5


class ClusterError(CorridorsError, RuntimeError):
    """The Dask scheduler could not be reached or the cluster could not start."""


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client for the duration of the block, or None for "inprocess"."""
    address = scheduler or os.environ.get(ENV_SCHEDULER) or "local"
    if address == "inprocess":
        yield None
        return
    from distributed import Client, LocalCluster

    for name in ("distributed", "bokeh", "tornado"):  # their INFO lines are not ours to show
        logging.getLogger(name).setLevel(logging.WARNING)

    if address == "local":
        n = workers or min(2, os.cpu_count() or 1)
        try:
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never clash with a running dashboard
                silence_logs=logging.ERROR,
            )
        except Exception as err:  # noqa: BLE001 - any start-up failure is the same to a user
            raise ClusterError(f"could not start a local Dask cluster: {err}") from err
        with cluster, Client(cluster) as client:
            yield client
        return
    if not address.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise ClusterError(
            f"scheduler {address!r}: expected 'local', 'inprocess' or an address like "
            "tcp://host:8786"
        )
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
    except Exception as err:  # noqa: BLE001 - refused, timed out, or not a Dask scheduler at all
        raise ClusterError(
            f"no Dask scheduler at {address} (gave up after {CONNECT_TIMEOUT_S} s): {err}"
        ) from err
    with client:
        yield client
