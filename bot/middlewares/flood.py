"""Per-user flood control: past the limit in a window, updates are dropped with one polite notice."""

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import choose_language

_SWEEP_EVERY = 5_000


class FloodControl(BaseMiddleware):
    """A sliding window per user (in this process), checked before any backend call; a dropped button press
    still gets its spinner stopped, and the notice speaks Telegram's interface language."""

    def __init__(self, i18n: I18n, *, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._i18n = i18n
        self._limit = limit
        self._window = window
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}
        self._calls = 0

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        staff_side = chat is not None and chat.type != "private"  # the staff group: a person answers there
        if user is None or staff_side or not isinstance(event, Update) or not self._over_limit(user.id):
            return await handler(event, data)
        language = choose_language(None, user.language_code, self._i18n.default_locale)
        with self._i18n.context(), self._i18n.use_locale(language):
            await self._tell(event, user.id)
        return None

    def _over_limit(self, user_id: int) -> bool:
        now = self._clock()
        self._sweep(now)
        times = self._seen.setdefault(user_id, deque())
        while times and times[0] <= now - self._window:
            times.popleft()
        if len(times) >= self._limit:
            return True
        times.append(now)
        return False

    async def _tell(self, update: Update, user_id: int) -> None:
        notice = _("You are sending messages very fast. Please wait a few seconds and try again.")
        if update.callback_query is not None:
            await update.callback_query.answer(notice)
            return
        now = self._clock()
        if update.message is not None and self._warned_until.get(user_id, 0) <= now:
            self._warned_until[user_id] = now + self._window
            await update.message.answer(notice)

    def _sweep(self, now: float) -> None:
        self._calls += 1
        if self._calls % _SWEEP_EVERY:
            return
        horizon = now - self._window
        self._seen = {uid: times for uid, times in self._seen.items() if times and times[-1] > horizon}
        self._warned_until = {uid: until for uid, until in self._warned_until.items() if until > now}
