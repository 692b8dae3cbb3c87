"""The bot's two connections, built from its settings: the Bot on the Bot API server and the backend client. Kept
apart from the dispatcher so the scheduler starts without loading the dialogs."""

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.backend import BackendClient
from bot.response_models import KeptResponseModels
from bot.settings import BotSettings


def create_bot(settings: BotSettings, session: BaseSession | None = None) -> Bot:
    """The Bot for `BOT_TOKEN`, talking to `TELEGRAM_API_URL` (a self-hosted Bot API server or an emulator), keeping
    the answer models of the methods it calls."""
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = session or AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(KeptResponseModels())
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_backend(settings: BotSettings) -> BackendClient:
    return BackendClient.create(
        settings.backend_url,
        token=settings.service_token.get_secret_value(),
        timeout=settings.backend_timeout_seconds,
        retries=settings.backend_retries,
    )
