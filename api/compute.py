"""Bounded computation: at most ``workers`` solver jobs at once, a bounded queue, a deadline,
and the jobs run in worker processes.

Route, Pareto, comparison and scenario handlers are plain ``def`` (FastAPI runs them in its
thread pool, off the event loop) and hand their work to :meth:`ComputeGate.run`:

- at most ``workers`` jobs run (sized to the cores: the work is CPU-bound), at most
  ``max_queue`` wait, and a request beyond that is refused at once with 503 and ``Retry-After``
  (:class:`Overloaded`);
- a job runs in one of ``workers`` processes, each with its own router on the same network
  (:mod:`api.jobs`), so solver work never holds the server process's interpreter lock and
  ``/v1/health`` and ``/v1/ready`` answer in milliseconds whatever the load (with threads
  alone, health's p99 passed 50 ms at 64 clients: the event loop waited for the lock);
- the job runs under the request's deadline (:mod:`corridors.deadline`; the seconds left are
  passed to the worker): past it the solvers stop and the answer is a 504 problem.  The
  worker's errors are the library's own (they pickle) and are answered as in-process ones.

``processes=False`` runs jobs in the calling thread instead (one process; for debugging and
for tests that replace library functions).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from corridors.data import load_network
from corridors.deadline import deadline, remaining_s
from corridors.errors import CorridorsError, SolverError
from corridors.request import Limits
from corridors.routing import Router

__all__ = ["ComputeGate", "Overloaded", "WorkerFailed"]

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[..., T]

# after the deadline, how long to wait for a worker to notice it and stop (its solvers check
# the deadline between steps, so this is only the last step's time)
_GRACE_S = 5.0


class Overloaded(CorridorsError):
    """Every compute slot is busy and the queue is full: try again later (503)."""

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__("the service is busy; try again shortly")


class WorkerFailed(CorridorsError):
    """A worker process died during the job (it is replaced); try again (503)."""

    retry_after_s = 1


# --- in a worker process -------------------------------------------------------------------

_ROUTER: Router | None = None


def _start_worker(data_dir: str | None, limits: Limits, version: str) -> None:
    """Load the network once per worker process: the same files as the server's."""
    global _ROUTER
    watch = threading.Thread(target=_exit_with_server, args=(os.getppid(),), daemon=True)
    watch.start()
    net = load_network(Path(data_dir) if data_dir else None)
    if net.version != version:  # the files changed since the server loaded them
        raise RuntimeError(f"network {net.version} in the worker, {version} in the server")
    _ROUTER = Router(net, limits=limits)
    from api.jobs import warm_up  # here: the server's side of this module does not need it

    warm_up(_ROUTER)


def _exit_with_server(server_pid: int) -> None:
    """Exit when the server process is gone (killed, even with SIGKILL): a worker never
    outlives its server (a pool's workers otherwise wait for work forever)."""
    while os.getppid() == server_pid:
        time.sleep(1.0)
    os._exit(0)


def _ping() -> str:
    assert _ROUTER is not None
    return _ROUTER.network.version


def _call(job: Job[T], seconds_left: float | None, args: tuple[Any, ...]) -> T:
    assert _ROUTER is not None
    with deadline(seconds_left):
        return job(_ROUTER, *args)


# --- in the server ---------------------------------------------------------------------------


class ComputeGate:
    """At most ``workers`` jobs at once and ``max_queue`` waiting; each under a deadline, in
    a worker process (``processes=True``) or in the calling thread."""

    def __init__(
        self,
        router: Router,
        workers: int,
        max_queue: int,
        deadline_s: float,
        *,
        processes: bool = True,
    ) -> None:
        self.router = router
        self.workers, self.max_queue, self.deadline_s = workers, max_queue, deadline_s
        self._lock = threading.Lock()
        self._free = workers  # slots not taken; the others run a job
        self._queue: deque[threading.Event] = deque()  # requests waiting for a slot, in order
        self._pool: ProcessPoolExecutor | None = None
        if processes:
            self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        net = self.router.network
        data_dir = str(net.data_dir) if net.data_dir else None
        return ProcessPoolExecutor(
            max_workers=self.workers,
            # spawn, not fork: the server has threads (a forked lock held by one would hang)
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(data_dir, self.router.limits, net.version),
        )

    def start(self) -> None:
        """Start every worker and wait until each has loaded the network (start-up)."""
        if self._pool is not None:
            pings = [self._pool.submit(_ping) for _ in range(self.workers)]
            try:
                for p in pings:
                    p.result(timeout=120)
            except BrokenProcessPool as err:  # the worker's own traceback is on stderr above
                raise RuntimeError("the compute worker processes could not start") from err

    def close(self) -> None:
        """Stop the workers (at shutdown): queued jobs are cancelled, running ones finish."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    @property
    def busy(self) -> tuple[int, int]:
        """(running, waiting) jobs."""
        with self._lock:
            return self.workers - self._free, len(self._queue)

    def run(self, job: Job[T], *args: Any) -> T:
        """``job(router, *args)`` in a compute slot, under the request's deadline.

        ``job`` is a module-level function of :mod:`api.jobs` (it is sent to a worker by
        name); its arguments and result must pickle.
        """
        with self.slot():
            pool = self._pool
            if pool is None:
                return job(self.router, *args)
            left = remaining_s()
            try:
                future: Future[T] = pool.submit(_call, job, left, args)
            except BrokenProcessPool:
                self._replace_pool(pool)
                raise WorkerFailed("a worker process had died; it was replaced") from None
            try:
                return future.result(timeout=None if left is None else left + _GRACE_S)
            except BrokenProcessPool:
                self._replace_pool(pool)
                raise WorkerFailed("the worker process died during the request") from None
            except TimeoutError:
                future.cancel()
                raise SolverError(
                    "the request's deadline passed; the work was stopped", status="deadline"
                ) from None

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        """Replace a broken pool, once: requests that saw the same pool break do not each
        replace the new one."""
        with self._lock:
            if self._pool is not broken:
                return
            self._pool = self._new_pool()
        log.error("a compute worker process died; the pool was replaced")
        broken.shutdown(wait=False, cancel_futures=True)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Run the body in a compute slot, under the request's deadline.

        Slots are handed out first come, first served: a freed slot goes to the longest
        waiting request (a plain semaphore let a request that had just finished take it again,
        and a few waited 100 times longer than the rest).
        """
        with deadline(self.deadline_s):
            self._acquire(remaining_s())
            try:
                yield
            finally:
                self._release()

    def _acquire(self, timeout_s: float | None) -> None:
        with self._lock:
            if len(self._queue) >= self.max_queue:
                raise Overloaded(retry_after_s=1)
            if self._free and not self._queue:
                self._free -= 1
                return
            turn = threading.Event()
            self._queue.append(turn)
        turn.wait(None if timeout_s is None else max(0.0, timeout_s))
        with self._lock:
            if turn.is_set():  # handed a slot by _release
                return
            self._queue.remove(turn)  # the deadline passed while waiting
        raise Overloaded(retry_after_s=1)

    def _release(self) -> None:
        with self._lock:
            if self._queue:  # the slot goes straight to the longest-waiting request
                self._queue.popleft().set()
            else:
                self._free += 1
