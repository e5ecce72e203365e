"""One deadline for a whole piece of work (a request of the service, a CLI command).

A solve has its own time limit; a comparison or a scenario runs dozens of solves.  A deadline
bounds them all: :func:`deadline` sets it for the current context (a thread or task: it is a
``contextvars`` variable, so concurrent requests each have their own), and the solvers and the
loops over corridors and queries call :func:`check_deadline`, which raises
:class:`~corridors.errors.SolverError` with status ``deadline`` once it has passed.  The work then
stops where it is.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from corridors.errors import SolverError

__all__ = ["check_deadline", "deadline", "remaining_s"]

_DEADLINE: ContextVar[float | None] = ContextVar("corridors_deadline", default=None)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Run the body under a deadline ``seconds`` from now (None: no deadline)."""
    if seconds is None:
        yield
        return
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining_s() -> float | None:
    """Seconds left before the deadline (None: no deadline)."""
    at = _DEADLINE.get()
    return None if at is None else at - time.monotonic()


def check_deadline() -> None:
    """Raise ``SolverError(status="deadline")`` once the deadline has passed."""
    left = remaining_s()
    if left is not None and left <= 0:
        raise SolverError("the request's deadline passed; the work was stopped", status="deadline")
