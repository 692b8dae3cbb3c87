"""Each Telegram update handled once, however often Telegram delivers it (it redelivers a webhook call it thinks
failed, to whichever replica): the outermost of the bot's update middlewares, before any backend call. Redis down
when the update is taken: it is not handled, and the user is asked to try again (`bot/middlewares/errors.py`);
down once it was handled: the record is left to its hold (`bot/seen_updates.py`) and the answer stands."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.metrics import DUPLICATE_UPDATES
from bot.redis_client import REDIS_DOWN
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
            await self._record(self._seen.release, event.update_id)
            raise
        await self._record(self._seen.handled, event.update_id)
        return result

    @staticmethod
    async def _record(record, update_id: int) -> None:
        try:
            await record(update_id)
        except REDIS_DOWN as exc:
            log.warning("update %s: its outcome was not recorded (%s)", update_id, type(exc).__name__)
