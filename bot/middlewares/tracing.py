"""The outermost update middleware: the update's id in `bot.tracing.UPDATE_ID` for everything the update runs."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.tracing import UPDATE_ID


class UpdateTrace(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = UPDATE_ID.set(event.update_id if isinstance(event, Update) else None)
        try:
            return await handler(event, data)
        finally:
            UPDATE_ID.reset(token)
