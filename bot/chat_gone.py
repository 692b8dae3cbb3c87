"""Telegram's answers that mean a borrower's chat can no longer be written to: the bot blocked or kicked, the
account deleted, the chat unknown. The sender of pushes and the staff relay judge them alike."""

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError

#: The 400s that mean the chat is gone for good, like a block (403).
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was kicked", "bot was blocked")


def chat_is_gone(error: TelegramAPIError) -> bool:
    """A 403, or a 400 whose message says the chat is gone."""
    if isinstance(error, TelegramForbiddenError):
        return True
    return isinstance(error, TelegramBadRequest) and any(sign in error.message.lower() for sign in _GONE)
