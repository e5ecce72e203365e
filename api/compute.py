"""Bounded computation: at most ``workers`` solver jobs at once, a bounded queue, a deadline.

Route, Pareto, comparison and scenario handlers are plain ``def`` (FastAPI runs them in its
thread pool, off the event loop).  Each takes a slot of :class:`ComputeGate` before it
computes: at most ``workers`` jobs run (sized to the cores; the work is CPU-bound), at most
``max_queue`` wait, and a request beyond that is refused at once with 503 and ``Retry-After``
(:class:`Overloaded`), so ``/v1/health`` and ``/v1/ready`` keep answering in milliseconds.
The job runs under the request's deadline (:mod:`corridors.deadline`): past it the solvers stop
and the answer is a 504 problem.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from corridors.deadline import deadline, remaining_s
from corridors.errors import CorridorsError

__all__ = ["ComputeGate", "Overloaded"]


class Overloaded(CorridorsError):
    """Every compute slot is busy and the queue is full: try again later (503)."""

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__("the service is busy; try again shortly")


class ComputeGate:
    """At most ``workers`` jobs at once and ``max_queue`` waiting; each under a deadline."""

    def __init__(self, workers: int, max_queue: int, deadline_s: float) -> None:
        self.workers, self.max_queue, self.deadline_s = workers, max_queue, deadline_s
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._waiting = 0
        self._running = 0

    @property
    def busy(self) -> tuple[int, int]:
        """(running, waiting) jobs."""
        with self._lock:
            return self._running, self._waiting

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Run the body in a compute slot, under the request's deadline."""
        with self._lock:
            if self._waiting >= self.max_queue:
                raise Overloaded(retry_after_s=1)
            self._waiting += 1
        with deadline(self.deadline_s):
            try:
                left = remaining_s()
                acquired = self._slots.acquire(timeout=max(0.0, left or 0.0))
            finally:
                with self._lock:
                    self._waiting -= 1
            if not acquired:  # the deadline passed while waiting for a slot
                raise Overloaded(retry_after_s=1)
            with self._lock:
                self._running += 1
            try:
                yield
            finally:
                with self._lock:
                    self._running -= 1
                self._slots.release()
