"""`ipoteka bot` and `ipoteka scheduler` (each alone), and `ipoteka run` (the backend, the bot and the scheduler in
one process, for one machine).

aiogram and the backend app take seconds to import, so they are imported inside the functions that run them and
the rest of the CLI starts without them.
"""

import asyncio
import contextlib
import socket
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console

from api.settings import Settings
from bot.settings import BotSettings
from ipoteka import logs
from ipoteka.database import SchemaMissingError, check_schema

if TYPE_CHECKING:
    from scheduler.settings import SchedulerSettings


class _EmbeddedServer(uvicorn.Server):
    """uvicorn inside `ipoteka run`: the command owns Ctrl-C and SIGTERM, and the bot waits for `listening`."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.listening.set()


def _fail(message: str, code: int = 2) -> typer.Exit:
    Console(stderr=True).print(message, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _bot_settings() -> BotSettings:
    """The bot's settings; a missing BOT_TOKEN or a bad value ends the command with exit code 2."""
    try:
        settings = BotSettings()
    except ValidationError as exc:
        raise _fail(f"Bad bot settings: {exc}") from None
    if settings.bot_token is None:
        raise _fail("BOT_TOKEN is not set: put the token @BotFather gave you in the environment or in .env.")
    return settings


def _api_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise _fail(f"Bad backend settings: {exc}") from None


def _scheduler_settings() -> "SchedulerSettings":
    from scheduler.settings import SchedulerSettings

    try:
        return SchedulerSettings()
    except ValidationError as exc:
        raise _fail(f"Bad scheduler settings: {exc}") from None


def _serve(main: Coroutine[Any, Any, None]) -> None:
    """Run `main` with logging on; the usual start-up failures become one line and exit code 2 (1 for Telegram's)."""
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.i18n import CatalogsMissingError

    logs.configure()
    try:
        asyncio.run(main)
    except (SchemaMissingError, CatalogsMissingError) as exc:
        raise _fail(str(exc)) from None
    except TelegramUnauthorizedError:
        raise _fail("Telegram refused BOT_TOKEN (unauthorized): check the token.", code=1) from None
    except TelegramNetworkError as exc:
        raise _fail(f"The Bot API (TELEGRAM_API_URL) is unreachable: {exc}", code=1) from None


def bot() -> None:
    """Run the Telegram bot alone: long polling, or a webhook when WEBHOOK_URL is set (needs BOT_TOKEN)."""
    settings = _bot_settings()
    scheduler_settings = _scheduler_settings()
    from bot.app.runner import run_bot
    from scheduler.runner import sending_limits

    # the token's one budget on the same limits as the schedulers' (SCHEDULER_MESSAGES_PER_SECOND, ...), as in `run`
    _serve(run_bot(settings, limits=sending_limits(scheduler_settings)))


def scheduler() -> None:
    """Run the reminder scheduler alone (needs BOT_TOKEN); several may run, one leads and another takes over."""
    bot_settings = _bot_settings()
    _serve(_run_scheduler(_scheduler_settings(), bot_settings))


async def _run_scheduler(settings: "SchedulerSettings", bot_settings: BotSettings) -> None:
    from bot.signals import stop_on_signals
    from scheduler.runner import run_scheduler

    stop = asyncio.Event()
    with stop_on_signals(stop):
        await run_scheduler(settings, bot_settings, stop)


def run() -> None:
    """Run everything in one process: the backend on API_HOST:API_PORT (127.0.0.1:8000), the bot and the scheduler
    (needs BOT_TOKEN)."""
    bot_settings = _bot_settings()
    api_settings = _api_settings()
    _serve(_run_all(api_settings, _towards(bot_settings, api_settings), _scheduler_settings()))


def _towards(bot_settings: BotSettings, api_settings: Settings) -> BotSettings:
    """The bot's settings pointed at the embedded backend, unless BACKEND_URL says otherwise."""
    if "backend_url" in bot_settings.model_fields_set:
        return bot_settings
    url = f"http://{api_settings.api_host}:{api_settings.api_port}/api/v1"
    return bot_settings.model_copy(update={"backend_url": url})


async def _run_all(api_settings: Settings, bot_settings: BotSettings, scheduler_settings: "SchedulerSettings") -> None:
    """The backend, then the bot and the scheduler once it listens; all until Ctrl-C or SIGTERM, or until one ends."""
    from api.app import create_app
    from bot.app.runner import run_bot
    from bot.limits import create_limiter
    from bot.signals import stop_on_signals
    from scheduler.runner import run_scheduler, sending_limits

    await check_schema(api_settings)
    stop = asyncio.Event()
    # no access log: the scheduler polls the outbox every 2 s, and a line for each poll would drown the rest;
    # no log config of uvicorn's own: its loggers reach the root's handler `logs.configure` set
    config = uvicorn.Config(
        create_app(api_settings),
        host=api_settings.api_host,
        port=api_settings.api_port,
        access_log=False,
        log_config=None,
    )
    server = _EmbeddedServer(config)
    with stop_on_signals(stop):
        api = asyncio.create_task(server.serve())
        listening = asyncio.create_task(server.listening.wait())
        await asyncio.wait({api, listening}, return_when=asyncio.FIRST_COMPLETED)
        listening.cancel()
        if api.done():  # it failed to start; uvicorn has logged why
            await api
            return
        # one budget for the token: the bot's answers and the scheduler's pushes take their permits from one limiter
        token = bot_settings.bot_token.get_secret_value() if bot_settings.bot_token else ""
        limiter = create_limiter(sending_limits(scheduler_settings), redis_url=bot_settings.redis_url, bot_token=token)
        bot = asyncio.create_task(run_bot(bot_settings, stop=stop, limiter=limiter))
        reminders = asyncio.create_task(run_scheduler(scheduler_settings, bot_settings, stop, limiter=limiter))
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({api, bot, reminders, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stop.set()
        server.should_exit = True
        results = await asyncio.gather(api, bot, reminders, stopped, return_exceptions=True)
        await limiter.aclose()
    for result in results:
        if isinstance(result, BaseException):
            raise result
