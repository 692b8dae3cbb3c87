"""Each Telegram update handled once, however often Telegram delivers it (it redelivers a webhook call it thinks
failed, to whichever replica): the outermost of the bot's update middlewares, before any backend call."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.metrics import DUPLICATE_UPDATES
from bot.seen_updates import SeenUpdates

log = logging.getLogger(__name__)


class OnceOnly(BaseMiddleware):
    def __init__(self, seen: SeenUpdates) -> None:
        self._seen = seen

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        if not await self._seen.take(event.update_id):
            log.info("update %s: delivered again, handled already", event.update_id)
            DUPLICATE_UPDATES.inc()
            return None
        try:
            result = await handler(event, data)
        except BaseException:
            await self._seen.release(event.update_id)
            raise
        await self._seen.handled(event.update_id)
        return result
