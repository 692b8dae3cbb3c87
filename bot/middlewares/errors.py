"""The error boundary: whatever fails while handling an update, the user gets an answer in their language; and the
answer for an update that found Redis down before the boundary (`redis_down`)."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import ErrorEvent, TelegramObject, Update, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendUnavailable, NotLinked
from bot.i18n import choose_language
from bot.profiles import ProfileCache
from bot.redis_client import REDIS_DOWN

log = logging.getLogger(__name__)


class ErrorBoundary(BaseMiddleware):
    """Outermost update middleware. The backend down: say so and keep the dialog's state, so the next try
    picks up where it stopped. Redis down (the dialog's state, flood control, the profiles): ask to try again in a
    minute. The chat unlinked elsewhere: say so and reset. Anything else: apologise.
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
        elif isinstance(exc, REDIS_DOWN):
            log.warning("update %s: Redis unavailable (%s)", update.update_id, type(exc).__name__)
        elif isinstance(exc, NotLinked) and user is not None:
            log.info("update %s: chat no longer linked", update.update_id)
            await self._profiles.forget(user.id)
            state: FSMContext | None = data.get("state")
            if state is not None:
                await state.clear()
        else:
            log.exception("update %s: unhandled %s", update.update_id, type(exc).__name__)
        await _apologise(data["bot"], update, exc, self._i18n, data.get("locale"), user)


async def redis_down(event: ErrorEvent, bot: Bot, i18n: I18n) -> None:
    """The dispatcher's error handler for Redis down before the error boundary: taking the chat's lock, reading its
    state or taking the update's id. The user is asked to try again in a minute, nothing else is done, and the
    update counts as handled (Telegram does not send it again); the dialog's state is as it was."""
    update = event.update
    log.warning("update %s: Redis unavailable (%s)", update.update_id, type(event.exception).__name__)
    await _apologise(bot, update, event.exception, i18n, None, _sender(update))


async def _apologise(
    bot: Bot, update: Update, exc: Exception, i18n: I18n, locale: str | None, user: User | None
) -> None:
    language = locale or choose_language(None, user.language_code if user else None, i18n.default_locale)
    with i18n.context(), i18n.use_locale(language):
        try:
            await _tell(bot, update, _apology(exc))
        except TelegramAPIError:
            log.warning("update %s: could not send the apology", update.update_id)


def _sender(update: Update) -> User | None:
    for event in (update.message, update.edited_message, update.callback_query):
        if event is not None:
            return event.from_user
    return None


def _apology(exc: Exception) -> str:
    if isinstance(exc, REDIS_DOWN):
        return _("Sorry, I am unavailable for a moment. Please try again in a minute.")
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
