"""The bot's entry points: the webhook's secret check, `run_bot` by polling and by webhook against a fake Bot API,
and `ipoteka bot` / `ipoteka run` refusing to start without BOT_TOKEN."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.methods import GetMe
from typer.testing import CliRunner

from bot.app.runner import WEBHOOK_PATH, run_bot
from bot.i18n import CatalogsMissingError
from bot.settings import BotSettings
from ipoteka.cli import app as cli
from tests.bot.telegram_fake import USER, FakeTelegram, free_port, serving, start_update
from tests.conftest import SERVICE_TOKEN
from tests.helpers import eventually

SECRET = "webhook-secret-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOKEN = "42:TEST"


# --- run_bot against a fake Bot API server and the backend served by uvicorn ----------------------------------


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with serving(FakeTelegram()) as fake:
        yield fake


def live_settings(telegram: FakeTelegram, backend_url: str, **extra: Any) -> BotSettings:
    return BotSettings(
        bot_token=TOKEN,
        telegram_api_url=telegram.url,
        backend_url=backend_url,
        service_token=SERVICE_TOKEN,
        backend_retries=0,
        **extra,
    )


async def _stop(running: asyncio.Task, stop: asyncio.Event) -> None:
    stop.set()
    async with asyncio.timeout(15):
        await running


STARTUP = ["setMyCommands", "setMyDescription", "setMyShortDescription"] * 2


async def test_polling_answers_start_through_the_backend(telegram, backend_url):
    telegram.updates.append(start_update())
    stop = asyncio.Event()

    running = asyncio.create_task(run_bot(live_settings(telegram, backend_url), stop=stop))
    await eventually(lambda: "sendMessage" in telegram.methods())
    await _stop(running, stop)

    methods = telegram.methods()
    assert methods[:7] == [*STARTUP, "deleteWebhook"]
    assert "getMe" in methods and "setWebhook" not in methods
    languages = [params.get("language_code") for params in telegram.params("setMyCommands")]
    assert languages == [None, "en"]  # Russian is the default for every other language
    first_poll = telegram.params("getUpdates")[0]
    assert {"message", "callback_query"} <= set(json.loads(first_poll["allowed_updates"]))
    [greeting] = telegram.params("sendMessage")
    assert greeting["chat_id"] == str(USER)
    assert "152-ФЗ" in greeting["text"]
    assert greeting["parse_mode"] == "HTML"
    assert json.loads(greeting["reply_markup"])["inline_keyboard"][0][0]["text"] == "✅ Согласен"
    assert running.result() is None
    calls = len(telegram.calls)
    await asyncio.sleep(0.5)
    assert len(telegram.calls) == calls  # stopped: no more polling


async def test_webhook_mode_registers_and_answers(telegram, backend_url):
    port = free_port()
    settings = live_settings(
        telegram,
        backend_url,
        webhook_url="https://bot.example.test/hook",
        webhook_secret=SECRET,
        webhook_port=port,
    )
    stop = asyncio.Event()

    running = asyncio.create_task(run_bot(settings, stop=stop))
    await eventually(lambda: "setWebhook" in telegram.methods())
    [registered] = telegram.params("setWebhook")
    assert registered["url"] == "https://bot.example.test/hook"
    assert registered["secret_token"] == SECRET
    assert "callback_query" in json.loads(registered["allowed_updates"])
    async with aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
        async with http.post(url, json=start_update(1), headers={SECRET_HEADER: "not-the-secret-000"}) as refused:
            assert refused.status == 401
        async with http.post(url, json=start_update(2), headers={SECRET_HEADER: SECRET}) as taken:
            assert taken.status == 200
    await eventually(lambda: "sendMessage" in telegram.methods())
    await _stop(running, stop)

    assert len(telegram.params("sendMessage")) == 1
    assert "152-ФЗ" in telegram.params("sendMessage")[0]["text"]
    assert "deleteWebhook" not in telegram.methods() and "getUpdates" not in telegram.methods()
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):  # the server is closed with the bot
            await http.post(url, json=start_update(3), headers={SECRET_HEADER: SECRET})


# --- the commands ---------------------------------------------------------------------------------------------


@pytest.fixture
def no_token(monkeypatch, tmp_path) -> list[str]:
    """No BOT_TOKEN anywhere (nor a .env); anything that would start serving is recorded instead."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    started: list[str] = []

    def serve(main) -> None:
        started.append(main.__name__)
        main.close()

    monkeypatch.setattr("ipoteka.commands.run._serve", serve)
    return started


@pytest.mark.parametrize("command", ["bot", "run", "scheduler"])
def test_commands_refuse_to_start_without_a_token(no_token, command):
    result = CliRunner().invoke(cli, [command])

    assert result.exit_code == 2
    assert "BOT_TOKEN is not set" in result.output
    assert no_token == []


@pytest.mark.parametrize("command", ["bot", "run"])
def test_commands_refuse_a_webhook_without_a_secret(no_token, monkeypatch, command):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.test/hook")

    result = CliRunner().invoke(cli, [command])

    assert result.exit_code == 2
    assert "WEBHOOK_SECRET must be" in result.output
    assert no_token == []


@pytest.mark.parametrize(
    ("command", "main"), [("bot", "run_bot"), ("run", "_run_all"), ("scheduler", "_run_scheduler")]
)
def test_commands_start_with_a_token(no_token, monkeypatch, command, main):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)

    result = CliRunner().invoke(cli, [command])

    assert result.exit_code == 0, result.output
    assert no_token == [main]


@pytest.mark.parametrize(
    ("environment", "backend_url"),
    [
        ({}, "http://127.0.0.1:8000/api/v1"),
        ({"API_HOST": "127.0.0.2", "API_PORT": "8123"}, "http://127.0.0.2:8123/api/v1"),
        ({"API_PORT": "8123", "BACKEND_URL": "http://api.internal:80/api/v1"}, "http://api.internal:80/api/v1"),
    ],
)
def test_run_serves_the_backend_where_the_settings_say_and_the_bot_finds_it(
    no_token, monkeypatch, environment, backend_url
):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    seen = {}

    async def run_all(api_settings, bot_settings, scheduler_settings) -> None:
        seen.update(api=(api_settings.api_host, api_settings.api_port), bot=bot_settings.backend_url)

    monkeypatch.setattr("ipoteka.commands.run._run_all", run_all)
    monkeypatch.setattr("ipoteka.commands.run._serve", asyncio.run)

    result = CliRunner().invoke(cli, ["run"])

    assert result.exit_code == 0, result.output
    host, port = environment.get("API_HOST", "127.0.0.1"), int(environment.get("API_PORT", "8000"))
    assert seen == {"api": (host, port), "bot": backend_url}


@pytest.mark.parametrize(
    ("setting", "value"),
    [("SCHEDULER_WORKERS", "0"), ("SCHEDULER_DATABASE_URL", "sqlite://"), ("SCHEDULER_DATABASE_URL", "mysql://x/y")],
)
def test_the_scheduler_refuses_bad_settings(no_token, monkeypatch, setting, value):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv(setting, value)

    result = CliRunner().invoke(cli, ["scheduler"])

    assert result.exit_code == 2
    assert "Bad scheduler settings" in result.output
    assert no_token == []


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (TelegramUnauthorizedError(GetMe(), "Unauthorized"), "Telegram refused BOT_TOKEN"),
        (TelegramNetworkError(GetMe(), "Connection refused"), "The Bot API (TELEGRAM_API_URL) is unreachable"),
        (CatalogsMissingError("compiled catalogs missing for en"), "compiled catalogs missing for en"),
    ],
)
def test_the_bot_command_reports_start_up_failures_in_one_line(monkeypatch, tmp_path, error, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)

    async def fail(settings: BotSettings, **_: object) -> None:
        raise error

    monkeypatch.setattr("bot.app.runner.run_bot", fail)

    result = CliRunner().invoke(cli, ["bot"])

    assert result.exit_code == (2 if isinstance(error, CatalogsMissingError) else 1)
    assert message in result.output
    assert "Traceback" not in result.output


def test_run_needs_a_migrated_database(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/empty.db")

    result = CliRunner().invoke(cli, ["run"])

    assert result.exit_code == 2
    assert "run `ipoteka db upgrade` first" in result.output


def test_the_bot_budgets_its_sends_on_the_schedulers_limits(no_token, monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SCHEDULER_MESSAGES_PER_SECOND", "25")
    seen = {}

    async def run_bot(settings: BotSettings, *, limits) -> None:
        seen["limits"] = limits

    monkeypatch.setattr("bot.app.runner.run_bot", run_bot)
    monkeypatch.setattr("ipoteka.commands.run._serve", asyncio.run)

    result = CliRunner().invoke(cli, ["bot"])

    assert result.exit_code == 0, result.output
    assert seen["limits"].per_second == 25  # the schedulers' own, as `ipoteka run` gives both
