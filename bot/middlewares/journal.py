"""Keeps the chat's journal: loads it before a private update is handled, records the update's step after.

A step names the dialog state and the kind of input, never what the borrower wrote: "Holiday:income · text",
"SettingsForm:main · button set:days", "· /operator".
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import Message, TelegramObject, Update

from bot.journal import Journal
from bot.turn import Turn

DESTINY = "journal"
_KINDS = ("contact", "document", "photo", "sticker", "voice", "video", "location")
DATA_CHARS = 64  # Telegram's limit on a button's data; a command is cut there too


def _shown(raw: str) -> str:
    """Button data or a command as staff may read it: anything unprintable (controls, bidi overrides) as `?`; the
    data of a forged press is the sender's, not the bot's."""
    return "".join(char if char.isprintable() else "?" for char in raw[:DATA_CHARS])


def _input(update: Update) -> str:
    if update.callback_query is not None:
        return f"button {_shown(update.callback_query.data or '')}"
    message: Message | None = update.message or update.edited_message
    if message is None:
        return update.event_type
    if message.text is not None:
        return _shown(message.text.split(maxsplit=1)[0].split("@")[0]) if message.text.startswith("/") else "text"
    return next((kind for kind in _KINDS if getattr(message, kind) is not None), "other")


class JournalKeeper(BaseMiddleware):
    """After `BorrowerContext`: puts the journal on the turn, then stores it with this update's step."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        turn: Turn | None = data.get("turn")
        if turn is None or not isinstance(event, Update):
            return await handler(event, data)
        storage: BaseStorage = data["fsm_storage"]
        key = StorageKey(bot_id=turn.bot.id, chat_id=turn.chat_id, user_id=turn.user_id, destiny=DESTINY)
        turn.journal = Journal.from_data(await storage.get_data(key))
        state = await turn.state.get_state()
        try:
            return await handler(event, data)
        finally:
            turn.journal.record(f"{state or ''} · {_input(event)}".strip())
            await storage.set_data(key, turn.journal.as_data())
