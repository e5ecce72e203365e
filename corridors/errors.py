"""The exception tree of corridors.  Every error a user can cause is one of these.

::

    CorridorsError
    ├── DataValidationError (ValueError)    a data or parameters file is malformed; lists every problem
    ├── ScenarioError (ValueError)          a scenario file is malformed (file, key, reason)
    ├── RequestError (ValueError)           a request option is invalid or too big
    │   ├── UnknownLocationError (LookupError)   a place name matched nothing; carries suggestions
    │   └── UnknownCorridorError (LookupError)   a corridor id the network does not define
    ├── NoRouteError                        origin and destination are not connected at all
    │   └── InfeasibleError                 a route exists, but not under the hard rule(s) named
    └── SolverError (RuntimeError)          a solver failed or hit its time limit; carries its status
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class CorridorsError(Exception):
    """Root of every error raised by corridors.

    Every one pickles with its attributes (the service computes in worker processes and
    re-raises their errors), whatever the subclass's ``__init__`` takes.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls: type[CorridorsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """The error as it was: its class, its message arguments and its attributes."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file: where it is and why it is wrong.

    ``row`` is the line number in the file (the header is line 1); ``0`` means the file as a whole.
    """

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row == 0 else f"{self.file}:{self.row}"
        col = f" [{self.column}]" if self.column else ""
        return f"{where}{col}: {self.reason}"


class DataValidationError(CorridorsError, ValueError):
    """One or more data files are malformed.  ``problems`` lists all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the network data:\n{lines}")


class ScenarioError(CorridorsError, ValueError):
    """A scenario file is malformed; the message names the file, the key and the reason."""


class RequestError(CorridorsError, ValueError):
    """A request option is invalid (unknown objective, negative budget, too many via points...)."""

    def __init__(self, message: str, *, kind: str = "invalid-request") -> None:
        self.kind = kind
        super().__init__(message)


class UnknownLocationError(RequestError, LookupError):
    """A place matched no location, or several (``ambiguous``).  ``suggestions`` are candidates."""

    def __init__(self, query: str, suggestions: Sequence[str], *, ambiguous: bool = False) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        self.ambiguous = ambiguous
        if ambiguous:
            message = f"ambiguous location {query!r}: one of {', '.join(self.suggestions)}"
        elif not any(c.isalnum() for c in query):
            message = f"a place name is needed (letters or digits), got {query!r}"
        else:
            hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
            message = f"unknown location {query!r}{hint}"
        super().__init__(message, kind="location-not-found")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownCorridorError(RequestError, LookupError):
    """A corridor id that the network does not define; ``known`` lists those it does."""

    def __init__(self, unknown: Sequence[str], known: Sequence[str]) -> None:
        self.unknown, self.known = list(unknown), list(known)
        super().__init__(
            f"unknown corridor(s) {', '.join(unknown)}; known: {', '.join(known)}",
            kind="corridor-not-found",
        )


class NoRouteError(CorridorsError):
    """No route joins origin and destination on the network, whatever the rules."""


class InfeasibleError(NoRouteError):
    """A route exists, but none meets the hard rule(s) in ``rules``.

    ``best_without`` summarises the best route once those rules are dropped (cost_usd, time_h,
    distance_km, border_crossings), so a user sees how far off the rule is.
    """

    def __init__(
        self, rules: Sequence[str], detail: str, best_without: dict[str, Any] | None
    ) -> None:
        self.rules = list(rules)
        self.best_without = best_without
        super().__init__(detail)


class SolverError(CorridorsError, RuntimeError):
    """A solver failed or ran out of time.  ``status`` is the solver's own status name."""

    def __init__(self, message: str, *, status: str) -> None:
        self.status = status
        super().__init__(f"{message} (solver status: {status})")
