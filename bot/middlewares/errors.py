"""The error boundary: whatever fails while handling an update, the user gets an answer in their language."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject, Update, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendUnavailable, NotLinked
from bot.i18n import choose_language
from bot.profiles import ProfileCache

log = logging.getLogger(__name__)


class ErrorBoundary(BaseMiddleware):
    """Outermost update middleware. The backend down: say so and keep the dialog's state, so the next try
    picks up where it stopped. The chat unlinked elsewhere: say so and reset. Anything else: apologise.
    Logs name the update and the error type only, never what the user wrote."""

    def __init__(self, i18n: I18n, profiles: ProfileCache) -> None:
        self._i18n = i18n
        self._profiles = profiles

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        except Exception as exc:
            if not isinstance(event, Update):
                raise
            await self._recover(event, data, exc)
            return None

    async def _recover(self, update: Update, data: dict[str, Any], exc: Exception) -> None:
        user: User | None = data.get("event_from_user")
        if isinstance(exc, BackendUnavailable):
            log.warning("update %s: backend unavailable (%s)", update.update_id, exc)
        elif isinstance(exc, NotLinked) and user is not None:
            log.info("update %s: chat no longer linked", update.update_id)
            await self._profiles.forget(user.id)
            state: FSMContext | None = data.get("state")
            if state is not None:
                await state.clear()
        else:
            log.exception("update %s: unhandled %s", update.update_id, type(exc).__name__)
        language = data.get("locale") or choose_language(
            None, user.language_code if user else None, self._i18n.default_locale
        )
        with self._i18n.context(), self._i18n.use_locale(language):
            try:
                await _tell(data["bot"], update, _apology(exc))
            except TelegramAPIError:
                log.warning("update %s: could not send the apology", update.update_id)


def _apology(exc: Exception) -> str:
    if isinstance(exc, BackendUnavailable):
        return _(
            "The bank's service is not answering right now. Please try again in a minute: nothing you entered is lost."
        )
    if isinstance(exc, NotLinked):
        return _("This chat is no longer linked to your loan account. Send /start to link it again.")
    return _("Sorry, something went wrong on our side. Please try again, or send /menu.")


async def _tell(bot: Bot, update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
        message = update.callback_query.message
        if message is not None:
            await bot.send_message(message.chat.id, text)
        return
    if update.message is not None:
        await update.message.answer(text)
    elif update.edited_message is not None:
        await update.edited_message.answer(text)
