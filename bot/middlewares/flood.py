"""Per-user flood control: past the limit in a window, updates are dropped with one polite notice."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.flood_windows import FloodWindows
from bot.i18n import choose_language


class FloodControl(BaseMiddleware):
    """A sliding window per user (`bot/flood_windows.py`: in Redis shared by the replicas, or in this process),
    checked before any backend call; a dropped button press still gets its spinner stopped, and the notice speaks
    Telegram's interface language."""

    def __init__(self, i18n: I18n, windows: FloodWindows) -> None:
        self._i18n = i18n
        self._windows = windows

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        staff_side = chat is not None and chat.type != "private"  # the staff group: a person answers there
        if user is None or staff_side or not isinstance(event, Update) or not await self._windows.over_limit(user.id):
            return await handler(event, data)
        language = choose_language(None, user.language_code, self._i18n.default_locale)
        with self._i18n.context(), self._i18n.use_locale(language):
            await self._tell(event, user.id)
        return None

    async def _tell(self, update: Update, user_id: int) -> None:
        notice = _("You are sending messages very fast. Please wait a few seconds and try again.")
        if update.callback_query is not None:
            await update.callback_query.answer(notice)
            return
        if update.message is not None and await self._windows.first_warning(user_id):
            await update.message.answer(notice)
