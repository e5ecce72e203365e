"""Service settings from environment variables prefixed ``CORRIDORS_`` (pydantic-settings)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from corridors.request import DEFAULT_LIMITS, Limits

_D = DEFAULT_LIMITS


class Settings(BaseSettings):
    """Every field can be set as ``CORRIDORS_<NAME>`` (e.g. ``CORRIDORS_PORT=9000``)."""

    model_config = SettingsConfigDict(env_prefix="CORRIDORS_")

    data_dir: str | None = None  # None: the bundled network
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 64_000
    max_via: int = _D.max_via
    max_gates: int = _D.max_gates
    max_exclusions: int = 50
    max_one_of: int = _D.max_one_of
    max_queries: int = _D.max_queries  # per scenario run
    solver_time_limit_s: float = 10.0  # the most a request may ask for, and the default
    cors_origins: list[str] = []
    response_cache_size: int = 1024  # route answers kept in memory; 0 disables

    def limits(self) -> Limits:
        """The request limits this service enforces (see :class:`corridors.request.Limits`)."""
        return Limits(
            max_via=self.max_via,
            max_gates=self.max_gates,
            max_one_of=self.max_one_of,
            max_exclusions=self.max_exclusions,
            max_time_limit_s=self.solver_time_limit_s,
            max_quantity=_D.max_quantity,
            max_queries=self.max_queries,
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
