"""Reading what the bot said in a list of Bot API calls."""

from aiogram.methods import AnswerCallbackQuery, SendMessage, SendPhoto

from bot.offline import Call


def texts(calls: list[Call]) -> list[str]:
    return [call.method.text for call in calls if isinstance(call.method, SendMessage)]


def text(calls: list[Call]) -> str:
    """Everything the bot wrote, joined; fails when it wrote nothing."""
    found = texts(calls)
    assert found, f"the bot sent no message: {[type(c.method).__name__ for c in calls]}"
    return "\n".join(found)


def photos(calls: list[Call]) -> list[SendPhoto]:
    return [call.method for call in calls if isinstance(call.method, SendPhoto)]


def toasts(calls: list[Call]) -> list[str | None]:
    return [call.method.text for call in calls if isinstance(call.method, AnswerCallbackQuery)]


def answered(calls: list[Call]) -> bool:
    """The bot answered: a message, a photo, or a callback answer."""
    return any(isinstance(call.method, (SendMessage, SendPhoto, AnswerCallbackQuery)) for call in calls)
