"""Typed settings of the bot, read from the environment; webhook mode demands a secret."""

import re
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PUBLIC_BOT_API = "https://api.telegram.org"
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,256}")


class BotSettings(BaseSettings):
    """Everything the bot reads from the environment (prefix-free names, `.env` supported)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = Field(default=PUBLIC_BOT_API, description="Bot API server base URL.")
    backend_url: str = Field(default="http://127.0.0.1:8000/api/v1", description="The backend API's base URL.")
    service_token: SecretStr = SecretStr("dev-service-token")
    backend_timeout_seconds: float = Field(default=5.0, gt=0)
    backend_retries: int = Field(default=2, ge=0, le=5)
    redis_url: str | None = None
    webhook_url: str | None = Field(default=None, description="Public HTTPS URL Telegram posts updates to.")
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    metrics_token: SecretStr | None = Field(
        default=None, description="A bearer token for the webhook server's /metrics; without it: loopback callers only."
    )
    default_language: Literal["ru", "en"] = "ru"
    bank_time_zone: str = "Europe/Moscow"
    bank_phone: str = Field(
        default="8 800 000-00-00",
        validation_alias="BANK__PHONE",
        description="The bank's phone, the same variable as the backend's: said wherever a text says to call.",
    )
    profile_cache_seconds: float = Field(default=30.0, ge=0)
    chart_processes: int = Field(
        default=1, ge=0, le=16, description="Worker processes the payoff charts are drawn in; 0 draws them in a thread."
    )
    flood_limit: int = Field(default=20, ge=1, description="Updates one user may send per flood window.")
    flood_window_seconds: float = Field(default=10.0, gt=0)
    staff_chat_id: int | None = Field(
        default=None, lt=0, description="The staff supergroup with topics where escalated chats are relayed."
    )
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, le=20 * 1024 * 1024, description="Largest file a borrower may send."
    )

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> "BotSettings":
        if self.webhook_url is None:
            return self
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not _SECRET_SHAPE.fullmatch(secret):
            raise ValueError("WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and - in webhook mode")
        return self
