"""Money, numbers, dates and the progress bar, formatted once for the locale (Babel), for the bot and scheduler."""

import re
from datetime import date, time
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

# CLDR asks for a space between a letter currency symbol and the digits ("RUB 49,300.88"); Babel leaves it out.
_LETTER_SYMBOL = re.compile(r"^(-?)([A-Z]{3})(?=\d)")
_BAR_CELLS = 10


def money(amount: Decimal, locale: str) -> str:
    """49 300,88 ₽ in Russian, RUB 49,300.88 in English; kopecks always shown."""
    text = format_currency(amount, "RUB", locale=locale)
    return _LETTER_SYMBOL.sub(lambda m: f"{m[1]}{m[2]}\xa0", text)


def number(value: Decimal | int, locale: str) -> str:
    """18,75 / 18.75; whole numbers without decimals."""
    return format_decimal(value, locale=locale)


def percent(value: Decimal, locale: str) -> str:
    """A share already in percent (18.75) as 18,75 % / 18.75%."""
    return format_decimal(value, format="#,##0.##", locale=locale) + ("\xa0%" if locale == "ru" else "%")


def day(value: date, locale: str) -> str:
    """10 декабря 2026 / 10 December 2026."""
    return format_date(value, "d MMMM y", locale=locale)


def month(value: date, locale: str) -> str:
    """декабрь 2026 / December 2026."""
    return format_date(value, "LLLL y", locale=locale)


def clock(value: time, locale: str) -> str:
    """A time of day in the locale's 24-hour form: 09:00."""
    return format_time(value, "HH:mm", locale=locale)


def progress_bar(share_percent: Decimal) -> str:
    """Ten cells, filled in proportion to the share repaid: ▰▰▱▱▱▱▱▱▱▱."""
    filled = int(min(max(share_percent, Decimal(0)), Decimal(100)) / 10)
    return "▰" * filled + "▱" * (_BAR_CELLS - filled)
