"""A message's text and caption without control characters (line breaks and tabs are text), before any handler sees
them: the backend refuses them in what it keeps (a NUL breaks PostgreSQL), and a borrower's stray ESC or NUL is
noise, not words to be asked again about. The text entities' offsets are left as Telegram sent them."""

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

#: The characters the backend refuses (`api/plain_text.py` says the same for its side).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(message: Message) -> Message:
    """`message` itself when it holds none, else a copy with them removed."""
    changes = {
        field: CONTROL.sub("", value)
        for field in ("text", "caption")
        if (value := getattr(message, field)) is not None and CONTROL.search(value)
    }
    return message.model_copy(update=changes) if changes else message


class PlainText(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        return await handler(without_controls(event) if isinstance(event, Message) else event, data)
