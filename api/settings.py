"""Service settings from environment variables prefixed ``CORRIDORS_`` (pydantic-settings)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from corridors.request import DEFAULT_LIMITS, Limits

_D = DEFAULT_LIMITS


class Settings(BaseSettings):
    """Every field can be set as ``CORRIDORS_<NAME>`` (e.g. ``CORRIDORS_PORT=9000``)."""

    model_config = SettingsConfigDict(env_prefix="CORRIDORS_")

    data_dir: str | None = None  # None: the bundled network
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_body_bytes: int = 64_000
    max_via: int = _D.max_via
    max_gates: int = _D.max_gates
    max_exclusions: int = 50
    max_one_of: int = _D.max_one_of
    max_queries: int = _D.max_queries  # per scenario run
    solver_time_limit_s: float = Field(10.0, gt=0, le=600)  # per solve: the most and the default
    request_deadline_s: float = Field(30.0, gt=0, le=600)  # a whole request, all its solves
    compute_workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1, le=64)
    compute_queue: int = Field(128, ge=0, le=10_000)  # requests waiting for a worker; then 503
    # solver work in worker processes (False: in the server's threads; one process)
    compute_processes: bool = True
    cors_origins: Annotated[list[str], NoDecode] = []  # comma-separated in the environment
    response_cache_size: int = Field(1024, ge=0)  # route answers kept in memory; 0 disables
    log_json: bool = False  # access log as JSON lines
    map_tile_url: str | None = None  # a background tile server for /map ({z}/{x}/{y}); none

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [x.strip() for x in value.split(",") if x.strip()]
        return value

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
