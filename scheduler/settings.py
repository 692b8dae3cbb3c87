"""Typed settings of the scheduler (prefix `SCHEDULER_`); the bot token, Bot API and backend come from the bot's."""

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SchedulerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="SCHEDULER_", extra="ignore")

    data_dir: Path = Field(
        default=Path("."), validation_alias=AliasChoices("DATA_DIR", "data_dir"), description="As the backend's."
    )
    database_url: str = Field(
        default_factory=lambda data: f"sqlite:///{Path(data.get('data_dir') or '.') / 'ipoteka-scheduler.db'}",
        description="The job store and leader lock: an SQLite file (in DATA_DIR by default) or PostgreSQL.",
    )
    plan_every_seconds: int = Field(default=300, ge=10, description="How often reminders are planned.")
    poll_seconds: float = Field(default=2.0, gt=0, description="How often the outbox is looked at when it is empty.")
    workers: int = Field(default=8, ge=1, le=64)
    batch: int = Field(default=60, ge=2, le=500, description="Notifications claimed ahead of sending.")
    lease_seconds: int = Field(
        default=60, ge=10, le=3600, description="How long a claim holds before others retake it."
    )
    report_batch: int = Field(
        default=100, ge=1, le=500, description="Sent notifications reported to the backend in one call (1: each alone)."
    )
    report_seconds: float = Field(
        default=0.5, gt=0, le=5, description="The longest a sent notification waits to be reported with others."
    )
    messages_per_second: int = Field(default=30, ge=1)
    chat_interval_seconds: float = Field(default=1.0, ge=0)
    group_messages_per_minute: int = Field(default=20, ge=1)
    limit_margin_seconds: float = Field(default=0.0, ge=0, le=1)
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, description="Serve Prometheus metrics on this port (none without it)."
    )
    metrics_host: str = Field(default="127.0.0.1", description="The metrics port's interface.")
    leader_check_seconds: float = Field(default=5.0, gt=0, description="How often leadership is checked and sought.")

    @field_validator("database_url")
    @classmethod
    def _lockable(cls, url: str) -> str:
        """The leader lock needs PostgreSQL or an SQLite file (an in-memory database cannot be shared)."""
        backend, _, rest = url.partition("://")
        if backend.startswith("postgresql") or (
            backend.startswith("sqlite") and rest.strip("/") not in ("", ":memory:")
        ):
            return url
        raise ValueError("must be PostgreSQL (postgresql+psycopg://...) or an SQLite file (sqlite:///path)")
