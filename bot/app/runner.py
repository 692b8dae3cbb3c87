"""The bot alone, as `ipoteka bot` (and `ipoteka run`) starts it: long polling, or a webhook with a secret token;
beside either, the relay worker (`bot/app/console_relay.py`: the console's tasks and the topic relay's copies)."""

import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot.app.console_relay import ConsoleRelay
from bot.app.dispatcher import create_storage, setup_dispatcher
from bot.app.health import add_health_routes
from bot.app.webhook import UpdateRequestHandler
from bot.commands import register_commands
from bot.connections import create_backend, create_bot
from bot.i18n import create_i18n
from bot.limits import Limiter, Limits, create_limiter
from bot.limits.sending import Traffic, budget_sends
from bot.settings import BotSettings
from bot.signals import stop_on_signals

log = logging.getLogger(__name__)

#: Where the webhook server takes Telegram's updates; the proxy in front maps `WEBHOOK_URL` to it.
WEBHOOK_PATH = "/telegram/webhook"


async def run_bot(
    settings: BotSettings,
    *,
    stop: asyncio.Event | None = None,
    limiter: Limiter | None = None,
    limits: Limits | None = None,
) -> None:
    """Serve the bot until `stop` is set (without one: until SIGINT or SIGTERM). Every message it sends takes its
    permit from `limiter` (by default the token's budget on `limits`, Telegram's unless given: shared through Redis
    with `REDIS_URL`, else its own)."""
    if stop is not None:
        await _serve(settings, stop, limiter, limits)
        return
    stop = asyncio.Event()
    with stop_on_signals(stop):
        await _serve(settings, stop, limiter, limits)


async def _serve(settings: BotSettings, stop: asyncio.Event, limiter: Limiter | None, limits: Limits | None) -> None:
    """Build the bot on its settings, announce its commands, take updates; close every connection after."""
    i18n = create_i18n(settings.default_language)
    backend = create_backend(settings)
    storage = create_storage(settings)
    bot = create_bot(settings)
    own_limiter = limiter is None
    if limiter is None:
        limiter = create_limiter(limits or Limits(), redis_url=settings.redis_url, bot_token=bot.token)
    budget_sends(bot, limiter, Traffic.ANSWER)
    try:
        dispatcher = setup_dispatcher(backend=backend, settings=settings, storage=storage, i18n=i18n, limiter=limiter)
        await register_commands(bot, i18n)
        console = asyncio.create_task(ConsoleRelay(dispatcher, bot).run(stop))
        try:
            if settings.webhook_url:
                await _serve_webhook(dispatcher, bot, settings, stop)
            else:
                await _poll(dispatcher, bot, stop)
        finally:
            stop.set()
            await console
    finally:
        await backend.aclose()
        await storage.close()
        await bot.session.close()
        if own_limiter:
            await limiter.aclose()


async def _poll(dispatcher: Dispatcher, bot: Bot, stop: asyncio.Event) -> None:
    """Long polling: a webhook left from an earlier run would make getUpdates fail, so it goes first."""
    await bot.delete_webhook()
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot,
            allowed_updates=dispatcher.resolve_used_update_types(),
            handle_signals=False,
            close_bot_session=False,
        )
    )
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not polling.done():
            await dispatcher.stop_polling()
        await polling
    finally:
        stopped.cancel()
        polling.cancel()


def create_webhook_app(dispatcher: Dispatcher, bot: Bot, settings: BotSettings) -> web.Application:
    """The aiohttp app that takes Telegram's POSTs on `WEBHOOK_PATH` (without the right secret header: 401; a body
    that is not an update: 400), and the operator's `/healthz`, `/readyz` and `/metrics` (`bot/app/health.py`)."""
    if settings.webhook_secret is None:
        raise ValueError("WEBHOOK_SECRET is not set")
    app = web.Application()
    handler = UpdateRequestHandler(dispatcher, bot, secret_token=settings.webhook_secret.get_secret_value())
    handler.register(app, path=WEBHOOK_PATH)
    add_health_routes(app, dispatcher, settings)
    setup_application(app, dispatcher, bot=bot)
    return app


async def _serve_webhook(dispatcher: Dispatcher, bot: Bot, settings: BotSettings, stop: asyncio.Event) -> None:
    runner = web.AppRunner(create_webhook_app(dispatcher, bot, settings))
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        await bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=dispatcher.resolve_used_update_types(),
        )
        log.info("webhook server on %s:%d%s", settings.webhook_host, settings.webhook_port, WEBHOOK_PATH)
        await stop.wait()
    finally:
        await runner.cleanup()
