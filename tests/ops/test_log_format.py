"""The one log configuration: JSON lines with time, level, logger, message and the request or update id; text in
dev; LOG_FORMAT chooses, production defaults to JSON; the probes' access lines dropped; uvicorn's own loggers
written by the same handler."""

import json
import logging
import subprocess
import sys
from datetime import datetime

import pytest

from api.ops.request_id import REQUEST_ID
from bot.tracing import UPDATE_ID
from ipoteka.logs import ContextIds, JsonLines, LogSettings, QuietProbes, TextLines, dict_config

PROGRAM = """
import logging
from ipoteka import logs
from api.ops.request_id import REQUEST_ID
from bot.tracing import UPDATE_ID
logs.configure()
logging.getLogger("bot.example").info("update handled in %d ms", 12)
UPDATE_ID.set(9001)
logging.getLogger("bot.example").warning("backend unavailable")
REQUEST_ID.set("9001")
logging.getLogger("uvicorn.error").error("worker said %s", "hello")
logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/readyz", "1.1", 200)
logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/api/v1/me", "1.1", 200)
"""


def run(environment: dict[str, str]) -> list[str]:
    """The program's stderr lines under `environment` (a process of its own: logging is configured once a process)."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and program)
        [sys.executable, "-c", PROGRAM],
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stderr.splitlines()


@pytest.mark.parametrize("environment", [{"LOG_FORMAT": "json"}, {"MODE": "production"}])
def test_json_lines_carry_the_fields_and_the_ids(environment, tmp_path):
    lines = [json.loads(line) for line in run(environment)]

    assert [line["message"] for line in lines] == [
        "update handled in 12 ms",
        "backend unavailable",
        "worker said hello",
        '127.0.0.1:1 - "GET /api/v1/me HTTP/1.1" 200',  # the probe's line is dropped
    ]
    first, second, third, _ = lines
    assert set(first) == {"time", "level", "logger", "message"}
    assert (first["level"], first["logger"]) == ("INFO", "bot.example")
    assert datetime.fromisoformat(first["time"]).utcoffset().total_seconds() == 0
    assert second["update_id"] == 9001 and "request_id" not in second
    assert (third["logger"], third["request_id"], third["level"]) == ("uvicorn.error", "9001", "ERROR")


@pytest.mark.parametrize("environment", [{}, {"MODE": "production", "LOG_FORMAT": "text"}])
def test_text_lines_in_dev_or_when_asked(environment):
    lines = run(environment)

    assert len(lines) == 4
    assert lines[0].endswith(" INFO bot.example: update handled in 12 ms")
    assert lines[1].endswith(" WARNING bot.example [update=9001]: backend unavailable")
    assert lines[2].endswith(" ERROR uvicorn.error [request=9001 update=9001]: worker said hello")
    assert not any(line.startswith("{") for line in lines)


def test_an_exception_stays_inside_its_json_line():
    record = logging.LogRecord("api.errors", logging.ERROR, __file__, 1, "unhandled %s", ("ValueError",), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    token = REQUEST_ID.set("abc123")
    try:
        ContextIds().filter(record)
    finally:
        REQUEST_ID.reset(token)

    [line] = JsonLines().format(record).splitlines()
    parsed = json.loads(line)
    assert parsed["message"] == "unhandled ValueError" and parsed["request_id"] == "abc123"
    assert "ValueError: boom" in parsed["exc_info"]


def test_no_ids_outside_a_request_or_an_update():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", (), None)
    assert UPDATE_ID.get() is None and REQUEST_ID.get() is None
    ContextIds().filter(record)
    assert " x: plain" in TextLines().format(record)
    assert set(json.loads(JsonLines().format(record))) == {"time", "level", "logger", "message"}


@pytest.mark.parametrize(
    ("path", "kept"), [("/healthz", False), ("/readyz?full=1", False), ("/metrics", False), ("/api/v1/me", True)]
)
def test_the_probes_access_lines_are_dropped(path, kept):
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, "%s %s %s %s %d", ("c", "GET", path, "1.1", 200), None
    )
    assert QuietProbes().filter(record) is kept


def test_debug_never_opens_the_loggers_that_print_data():
    levels = dict_config(LogSettings(log_level="DEBUG"))["loggers"]
    assert levels["sqlalchemy.engine"] == {"level": "INFO"}  # its DEBUG prints the rows read
    assert levels["aiosqlite"] == {"level": "INFO"}  # its DEBUG prints the parameters
    assert levels["fontTools"] == {"level": "WARNING"}  # its INFO lists the glyphs of each certificate
    quiet = dict_config(LogSettings(log_level="INFO"))["loggers"]
    assert quiet["httpx"] == {"level": "WARNING"} and quiet["sqlalchemy.engine"] == {"level": "WARNING"}
