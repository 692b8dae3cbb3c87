"""Puts the chat's linked borrower (or None) and its language into every private update's data."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Chat, TelegramObject, User

from bot.i18n import choose_language
from bot.profiles import ProfileCache
from bot.turn import LANGUAGE_KEY, Turn


class BorrowerContext(BaseMiddleware):
    """`borrower`: the backend's profile of the linked borrower, None for an unlinked chat; `locale`: ru or en;
    `turn`: both, with the chat and the services, for the dialogs."""

    def __init__(self, profiles: ProfileCache, *, default_language: str) -> None:
        self._profiles = profiles
        self._default = default_language

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        borrower = None
        stored = None
        if user is not None and not user.is_bot and (chat is None or chat.type == "private"):
            borrower = await self._profiles.get(user.id)
            if borrower is None:
                state: FSMContext | None = data.get("state")
                stored = (await state.get_data()).get(LANGUAGE_KEY) if state else None
        locale = choose_language(
            borrower.language if borrower else stored, user.language_code if user else None, self._default
        )
        data["borrower"] = borrower
        data["profiles"] = self._profiles
        data["locale"] = locale
        if user is not None and "state" in data:
            data["turn"] = Turn(
                bot=data["bot"],
                chat_id=chat.id if chat is not None else user.id,
                user_id=user.id,
                backend=data["backend"],
                profiles=self._profiles,
                state=data["state"],
                borrower=borrower,
                locale=locale,
                settings=data["settings"],
                screens=data["screens"],
            )
        return await handler(event, data)
