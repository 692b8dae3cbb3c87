"""Keyboard builders shared by every dialog: inline rows of (label, callback data), the contact request."""

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

Row = Sequence[tuple[str, CallbackData]]


def inline(rows: Iterable[Row]) -> InlineKeyboardMarkup:
    """One inline button per (label, callback data), row by row."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data.pack()) for label, data in row] for row in rows
        ]
    )


def columns(buttons: Sequence[tuple[str, CallbackData]], width: int) -> list[Row]:
    """Buttons laid out `width` to a row."""
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def contact_request(label: str) -> ReplyKeyboardMarkup:
    """The one reply keyboard: Telegram's button that shares the user's own phone number."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label, request_contact=True)]], resize_keyboard=True, one_time_keyboard=True
    )


REMOVE = ReplyKeyboardRemove()
