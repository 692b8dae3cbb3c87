"""Telegram's POSTs taken on the webhook: aiogram's handler, but a body that is not an Update (bad JSON, the wrong
shape) is refused with a 400 and logged by its size only, never its content, instead of a 500 from deep inside."""

import logging

from aiogram import Bot
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

log = logging.getLogger(__name__)


async def _refusal(bot: Bot, request: web.Request) -> web.Response | None:
    """A 400 for a body that is not an Update; None for one that is (aiohttp keeps the body read for the handler)."""
    try:
        Update.model_validate(await request.json(loads=bot.session.json_loads), context={"bot": bot})
    except (ValueError, ValidationError):  # bad JSON or bad UTF-8 (both ValueErrors), or not an Update
        log.warning("webhook: refused a body that is not an update (%d bytes)", len(await request.read()))
        return web.json_response({"ok": False, "error": "the body is not a Telegram update"}, status=400)
    return None


class UpdateRequestHandler(SimpleRequestHandler):
    """The secret is checked first (aiogram's 401), then the body, then the update is handled as aiogram does."""

    async def _handle_request_background(self, bot: Bot, request: web.Request) -> web.Response:
        return await _refusal(bot, request) or await super()._handle_request_background(bot, request)

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        return await _refusal(bot, request) or await super()._handle_request(bot, request)
