"""The note of an answer the bot could not read: a router middleware for the message handlers flagged `reads`.

`flags={"reads": parse_amount}` on a handler of a typed answer: it gets the answer read by that parser as `value`
(None when unreadable). An unreadable answer that is clearly another request offers the switch to it instead
(`dialogs/typed/`); any other is noted first (`person.note_unreadable`: words of complaint, or the
second miss in a row, offer a person), then the handler gives its hint and asks again. Registered on the borrower's
router (`dialogs/router.py`), so it sees every dialog's handlers.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import Message

from dialogs import person
from dialogs.typed.reading import in_form


class NoteUnreadable(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[Message, dict[str, Any]], Awaitable[Any]],
        event: Message,
        data: dict[str, Any],
    ) -> Any:
        read: Callable[[str | None], Any] | None = get_flag(data, "reads")
        if read is None:
            return await handler(event, data)
        data["value"] = read(event.text)
        if data["value"] is None:
            if await in_form(event, data["turn"], data["intents"]):  # clearly another request: the switch offered
                return None
            await person.note_unreadable(data["turn"], event.text)
        return await handler(event, data)
