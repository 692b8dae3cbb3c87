"""The date picker: one month of buttons between the earliest and the latest date a question allows."""

import calendar
from collections.abc import Callable
from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from babel.dates import format_date, get_day_names

BLANK = " "


def month_start(value: date) -> date:
    return value.replace(day=1)


def shift_month(value: date, months: int) -> date:
    """The first day of the month `months` away from `value`'s."""
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def date_picker(
    month: date,
    *,
    earliest: date,
    latest: date,
    locale: str,
    pick: Callable[[date], CallbackData],
    page: Callable[[date], CallbackData],
    blank: CallbackData,
) -> InlineKeyboardMarkup:
    """`month`'s days as buttons (days outside the allowed range are blank), weekday names, and arrows to the
    months before and after while they hold an allowed day. `month` is clamped into the range; a week with no
    allowed day is left out, so the picker never shows a row of blanks."""
    month = min(max(month_start(month), month_start(earliest)), month_start(latest))
    title = format_date(month, "LLLL y", locale=locale).capitalize()
    rows = [[InlineKeyboardButton(text=title, callback_data=blank.pack())]]
    names = get_day_names("abbreviated", context="stand-alone", locale=locale)
    rows.append([InlineKeyboardButton(text=names[day], callback_data=blank.pack()) for day in range(7)])

    def allowed(day: date) -> bool:
        return day.month == month.month and earliest <= day <= latest

    for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
        if not any(allowed(day) for day in week):
            continue
        rows.append(
            [
                InlineKeyboardButton(text=str(day.day), callback_data=pick(day).pack())
                if allowed(day)
                else InlineKeyboardButton(text=BLANK, callback_data=blank.pack())
                for day in week
            ]
        )
    arrows = []
    if month > month_start(earliest):
        arrows.append(InlineKeyboardButton(text="◀️", callback_data=page(shift_month(month, -1)).pack()))
    if month < month_start(latest):
        arrows.append(InlineKeyboardButton(text="▶️", callback_data=page(shift_month(month, 1)).pack()))
    if arrows:
        rows.append(arrows)
    return InlineKeyboardMarkup(inline_keyboard=rows)
