"""Typed settings of the backend, read from the environment; unsafe defaults are refused in production."""

from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_MODES = frozenset({"dev", "demo", "test"})
PLACEHOLDER_MARKERS = ("dev-", "change-me", "changeme", "secret", "token")
MIN_SECRET_LENGTH = 32


class BankDetailsSettings(BaseModel):
    """The bank's requisites printed on certificates."""

    name: str = "АО «Демо Ипотечный Банк»"
    address: str = "123112, г. Москва, Пресненская наб., д. 1"
    inn: str = "7700000000"
    kpp: str = "770001001"
    ogrn: str = "1027700000000"
    bik: str = "044525000"
    correspondent_account: str = "30101810400000000000"
    license: str = "0000"
    phone: str = "8 800 000-00-00"


class QueueTargetSettings(BaseModel):
    """How long an item may wait in each staff queue, in staff hours, before the console shows it overdue."""

    holidays: int = Field(default=16, ge=1)
    certificates: int = Field(default=8, ge=1)
    documents: int = Field(default=8, ge=1)
    quotes: int = Field(default=8, ge=1)
    cases: int = Field(default=2, ge=1)


def _sqlite_path(data: dict[str, Any], name: str) -> Path:
    """`name` inside the data directory of the settings being read (DATA_DIR, default the current directory)."""
    return Path(data.get("data_dir") or ".") / name


class Settings(BaseSettings):
    """Everything the backend reads from the environment (prefix-free names, `.env` supported)."""

    model_config = SettingsConfigDict(env_file=".env", env_nested_delimiter="__", extra="ignore")

    mode: Literal["dev", "demo", "test", "production"] = "dev"
    data_dir: Path = Field(default=Path("."), description="Where the embedded defaults keep their SQLite files.")
    database_url: str = Field(default_factory=lambda data: f"sqlite+aiosqlite:///{_sqlite_path(data, 'ipoteka.db')}")
    api_host: str = Field(default="127.0.0.1", description="Where `ipoteka run` and `ipoteka api` listen.")
    api_port: int = Field(default=8000, ge=1, le=65535)
    database_echo: bool = False
    service_token: SecretStr = SecretStr("dev-service-token")
    integration_token: SecretStr = SecretStr("dev-integration-token")
    bank: BankDetailsSettings = Field(default_factory=BankDetailsSettings)
    bank_time_zone: str = "Europe/Moscow"
    link_max_failures: int = Field(default=5, ge=1)
    link_window_minutes: int = Field(default=60, ge=1)
    holiday_loan_cap: Decimal = Decimal("15000000")
    early_repayment_notice_days: int = Field(default=30, ge=0)
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    certificate_processes: int = Field(
        default=1,
        ge=0,
        le=16,
        description="Processes each backend worker draws certificates in (0: in a thread of the worker).",
    )
    max_body_bytes: int = Field(
        default=256 * 1024,
        ge=16 * 1024,
        description="The largest body of a route that takes no file (JSON, a console form): over it, a 413 unread.",
    )
    staff_hours_start: int = Field(default=9, ge=0, le=23)
    staff_hours_end: int = Field(default=18, ge=1, le=24)
    queue_target_hours: QueueTargetSettings = Field(default_factory=QueueTargetSettings)
    redis_url: str | None = Field(default=None, description="Redis for the live event bus across backend workers.")
    events_channel: str = Field(
        default="ipoteka_events", pattern=r"^[a-z_][a-z0-9_]{0,62}$", description="The event bus's channel name."
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="A bearer token for /metrics; without it only a loopback caller is answered."
    )
    console_idle_minutes: int = Field(default=30, ge=1, description="A console session unused this long ends.")
    console_session_hours: int = Field(default=12, ge=1, description="A console session ends this long after sign-in.")
    console_max_failures: int = Field(default=5, ge=1, description="Failed sign-ins of one member that lock it out.")
    console_address_max_failures: int = Field(default=20, ge=1, description="... and from one address.")
    console_lockout_minutes: int = Field(default=15, ge=1, description="The window the failures are counted in.")

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        if self.mode in DEV_MODES:
            return self
        for name in ("service_token", "integration_token"):
            value = getattr(self, name).get_secret_value()
            if len(value) < MIN_SECRET_LENGTH or value.lower().startswith(PLACEHOLDER_MARKERS):
                raise ValueError(
                    f"{name.upper()} must be a random secret of at least {MIN_SECRET_LENGTH} characters "
                    f"outside dev/demo/test mode"
                )
        return self

    @model_validator(mode="after")
    def _staff_hours_order(self) -> "Settings":
        if self.staff_hours_start >= self.staff_hours_end:
            raise ValueError("STAFF_HOURS_START must come before STAFF_HOURS_END")
        return self

    @property
    def console_secure_cookies(self) -> bool:
        """The console's cookies are sent over HTTPS only, except in dev and test (plain HTTP on the loopback)."""
        return self.mode not in {"dev", "test"}

    @cached_property
    def bank_zone(self) -> ZoneInfo:
        return ZoneInfo(self.bank_time_zone)
