"""The baseline of `bench/load.py`: a bare aiogram bot in webhook mode. One handler for every message and every button
press makes one GET to the bare FastAPI endpoint (`bench/bare_app.py`: one loan row) and sends its body back as one
message; aiogram's own webhook handler takes the POSTs (the secret checked, each update handled in the background, as
the real bot's). No middleware, no FSM storage but aiogram's default, no limiter.

`python -m bench.bare_bot` serves it on WEBHOOK_HOST:WEBHOOK_PORT for BOT_TOKEN against TELEGRAM_API_URL with
WEBHOOK_SECRET, calling the endpoint at BARE_API_URL; with BARE_API_PORT instead, the endpoint is served in the same
process on DATABASE_URL (the baseline of `ipoteka run`'s one process). A user's loan is `user id + BARE_LOAN_OFFSET`.
`GET /errors` answers how many updates failed in a handler so far.
"""

import asyncio
import logging
import os
from contextlib import AsyncExitStack
from dataclasses import dataclass

import httpx
import uvicorn
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, ErrorEvent, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from api.settings import Settings
from bench.bare_app import create_bare_app
from bot.app.runner import WEBHOOK_PATH
from bot.signals import stop_on_signals
from ipoteka.commands.run import _EmbeddedServer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BareBot:
    """Where the bare bot takes updates and what it calls."""

    token: str
    telegram_url: str
    secret: str
    host: str
    port: int
    api_url: str
    loan_offset: int


def bare_dispatcher(http: httpx.AsyncClient, loan_offset: int, failures: list[int]) -> Dispatcher:
    """One GET and one message per update; each update a handler failed on appended to `failures`."""
    dp = Dispatcher()

    async def answer(bot: Bot, chat_id: int, user_id: int) -> None:
        response = await http.get(f"/loan/{user_id + loan_offset}")
        response.raise_for_status()
        await bot.send_message(chat_id, response.text)

    @dp.message()
    async def on_message(message: Message, bot: Bot) -> None:
        await answer(bot, message.chat.id, message.from_user.id)

    @dp.callback_query()
    async def on_press(query: CallbackQuery, bot: Bot) -> None:
        await answer(bot, query.message.chat.id, query.from_user.id)

    @dp.errors()
    async def on_error(event: ErrorEvent) -> None:
        failures.append(event.update.update_id)
        log.error("update %d failed: %r", event.update.update_id, event.exception)

    return dp


async def serve_bare_bot(config: BareBot, stop: asyncio.Event) -> None:
    """Serve the bare bot until `stop` is set."""
    failures: list[int] = []
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=config.api_url))
        bot = Bot(config.token, session=AiohttpSession(api=TelegramAPIServer.from_base(config.telegram_url)))
        stack.push_async_callback(bot.session.close)
        dp = bare_dispatcher(http, config.loan_offset, failures)
        app = web.Application()
        SimpleRequestHandler(dp, bot, secret_token=config.secret).register(app, path=WEBHOOK_PATH)

        async def healthz(request: web.Request) -> web.Response:
            return web.json_response({"status": "ok"})

        async def errors(request: web.Request) -> web.Response:
            return web.json_response({"errors": len(failures)})

        app.router.add_get("/healthz", healthz)
        app.router.add_get("/errors", errors)
        setup_application(app, dp, bot=bot)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        stack.push_async_callback(runner.cleanup)
        await web.TCPSite(runner, config.host, config.port).start()
        await stop.wait()


async def serve_bare_api(settings: Settings, host: str, port: int, stop: asyncio.Event) -> None:
    """The bare endpoint in this process until `stop` is set."""
    server = _EmbeddedServer(uvicorn.Config(create_bare_app(settings), host=host, port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    await stop.wait()
    server.should_exit = True
    await serving


async def main() -> None:
    env = os.environ
    host = env.get("WEBHOOK_HOST", "127.0.0.1")
    api_port = env.get("BARE_API_PORT")
    config = BareBot(
        token=env["BOT_TOKEN"],
        telegram_url=env["TELEGRAM_API_URL"],
        secret=env["WEBHOOK_SECRET"],
        host=host,
        port=int(env["WEBHOOK_PORT"]),
        api_url=f"http://{host}:{api_port}" if api_port else env["BARE_API_URL"],
        loan_offset=int(env.get("BARE_LOAN_OFFSET", "0")),
    )
    stop = asyncio.Event()
    with stop_on_signals(stop):
        served = [serve_bare_bot(config, stop)]
        if api_port:
            served.append(serve_bare_api(Settings(), host, int(api_port), stop))
        await asyncio.gather(*served)


if __name__ == "__main__":
    asyncio.run(main())
