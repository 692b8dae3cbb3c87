"""The Telegram update being handled, in a context variable: the log formatter prints it, and the backend client
sends it as `X-Request-Id`, so one borrower action is found by one id in the bot's and the backend's logs."""

from contextvars import ContextVar

UPDATE_ID: ContextVar[int | None] = ContextVar("update_id", default=None)


def current_update_id() -> int | None:
    return UPDATE_ID.get()


def request_id() -> str | None:
    """What the backend client sends as `X-Request-Id`: the update's id while one is handled, else nothing (the
    backend makes one)."""
    update_id = UPDATE_ID.get()
    return None if update_id is None else str(update_id)
