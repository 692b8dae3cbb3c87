"""Logging for every `ipoteka` process: one configuration, JSON lines (python-json-logger) or plain text.

Each line has the time (UTC, ISO 8601), level, logger and message, and the request id (the backend's, from
`X-Request-Id`) or the Telegram update's id (the bot's) when there is one; nothing else is added, so what a line
holds is what the code wrote, and the code writes ids and kinds, never a phone, a name or a contract number
(`tests/test_log_privacy.py` holds it to that). `LOG_FORMAT=json|text` (JSON by default in production, text in
dev, demo and test); `LOG_LEVEL` (INFO). The probes' and the scrape's lines in uvicorn's access log are dropped.
"""

import logging
import logging.config
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from api.ops.request_id import current_request_id
from bot.tracing import current_update_id

#: Paths whose access-log lines are noise: the load balancer's probes and Prometheus's scrapes.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/health", "/api/v1/healthz"})
_TEXT = "%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s"


class LogSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    mode: str = "dev"
    log_format: Literal["json", "text"] | None = Field(default=None, description="Default: json in production.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @property
    def format(self) -> Literal["json", "text"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.mode == "production" else "text"


class ContextIds(logging.Filter):
    """Puts the request id and the update id (where set) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id, update_id = current_request_id(), current_update_id()
        if request_id is not None:
            record.request_id = request_id
        if update_id is not None:
            record.update_id = update_id
        return True


class QuietProbes(logging.Filter):
    """Drops uvicorn's access lines for the probes and the scrape (its args: client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (len(args) >= 3 and str(args[2]).partition("?")[0] in QUIET_PATHS)


def _utc(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JsonLines(JsonFormatter):
    """`{"time", "level", "logger", "message", "request_id"?, "update_id"?, "exc_info"?}`, one object a line."""

    def __init__(self) -> None:
        super().__init__(
            ["asctime", "levelname", "name", "message"],
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],  # uvicorn's message again, with terminal colours
            json_ensure_ascii=False,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc(record)


class TextLines(logging.Formatter):
    """`time LEVEL logger [request=… update=…]: message`."""

    def __init__(self) -> None:
        super().__init__(_TEXT)

    def format(self, record: logging.LogRecord) -> str:
        ids = [
            f"{name}={getattr(record, f'{name}_id')}" for name in ("request", "update") if hasattr(record, f"{name}_id")
        ]
        record = logging.makeLogRecord(record.__dict__)  # a copy: another handler's formatter gets the record as it was
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc(record)


def logger_levels(settings: LogSettings) -> dict[str, str]:
    """Levels of the loggers that differ from the root's."""
    debugging = settings.log_level == "DEBUG"
    levels = {
        # aiosqlite's DEBUG lines print each call with its SQL parameters: never below INFO
        "aiosqlite": "INFO",
        # SQLAlchemy's INFO is each statement (its parameters hidden: api/db.py); its DEBUG prints the rows read,
        # names and phones among them, so it is never below INFO
        "sqlalchemy.engine": "INFO" if debugging else "WARNING",
        # fontTools' INFO is some 60 lines for each certificate fpdf2 writes (two thirds of the lines `bench/load.py`
        # logged), among them the glyphs each keeps, the letters its names are written in; never below WARNING
        "fontTools": "WARNING",
    }
    if not debugging:  # a line per backend call and per connection step is noise above DEBUG
        levels |= {"httpx": "WARNING", "httpcore": "WARNING"}
    return levels


def formatter(settings: LogSettings) -> logging.Formatter:
    return JsonLines() if settings.format == "json" else TextLines()


def dict_config(settings: LogSettings | None = None) -> dict[str, Any]:
    """The `logging.config.dictConfig` for `settings` (also uvicorn's `log_config`, applied in every worker)."""
    settings = settings or LogSettings()
    lines = JsonLines if settings.format == "json" else TextLines
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"ids": {"()": ContextIds}, "probes": {"()": QuietProbes}},
        "formatters": {"lines": {"()": lines}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "lines",
                "filters": ["ids", "probes"],
            }
        },
        "root": {"level": settings.log_level, "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's own loggers carry no handler of their own: they reach the root's
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": True},
            **{name: {"level": level} for name, level in logger_levels(settings).items()},
        },
    }


def configure(settings: LogSettings | None = None) -> None:
    logging.config.dictConfig(dict_config(settings))
